import { findJsonReport, parseJsonReport } from "./parse-json.js";
import { completeWithXray, findTextReport, findXrayLine, parseTextReport } from "./parse-text.js";
import type { ReportRecord } from "./record.js";

export type RecordOutcome = { kind: "record"; record: ReportRecord; line: number };
export type MalformedOutcome = { kind: "malformed"; line: number; reason: string; text: string };
/** What a line gave: a record (numbered by its REPORT line), or why a REPORT line was unreadable. */
export type ParseOutcome = RecordOutcome | MalformedOutcome;

export interface ReportParser {
  /**
   * Feeds the next line (without its line break). Lines that are not REPORT
   * records (START, END, app logs, other JSON events) give nothing.
   */
  push(line: string, lineNumber: number): readonly ParseOutcome[];
  /** Flushes a REPORT record still waiting for a possible X-Ray line. */
  end(): readonly ParseOutcome[];
}

const NOTHING: readonly ParseOutcome[] = Object.freeze([]);

/** Where a report machine sends what it reads, without building outcome objects. */
export interface OutcomeSink {
  record(record: ReportRecord, line: number): void;
  malformed(line: number, reason: string, text: string): void;
}

/** The state machine behind `createReportParser`, with ways in for lines a fast path already read. */
export interface ReportMachine {
  /** A line of text, read by the general parser. */
  pushLine(line: string, lineNumber: number): void;
  /** A text REPORT line already read into a record (the byte fast path, scan-text.ts). */
  pushTextRecord(record: ReportRecord, lineNumber: number): void;
  /** A JSON platform.report line already read into a record (scan-json.ts). */
  pushJsonRecord(record: ReportRecord, lineNumber: number): void;
  /** A line that is no record of any kind: a held record goes out. */
  flush(): void;
}

/**
 * A line-level parser of text and JSON REPORT records. It is a small state
 * machine: a text REPORT line without X-Ray fields is held back one line,
 * because Lambda may print `XRAY TraceId: ...` on the next line
 * (docs/lambda-facts.md, "REPORT records").
 */
export function createReportMachine(sink: OutcomeSink): ReportMachine {
  let pending: ReportRecord | undefined;
  let pendingLine = 0;

  function flush(): void {
    if (pending === undefined) return;
    const held = pending;
    pending = undefined;
    sink.record(held, pendingLine);
  }

  function textRecord(record: ReportRecord, lineNumber: number): void {
    if (record.xrayTraceId !== undefined) {
      sink.record(record, lineNumber);
      return;
    }
    pending = record;
    pendingLine = lineNumber;
  }

  function parseLine(line: string, lineNumber: number, text: number): void {
    if (text >= 0) {
      const parsed = parseTextReport(line, text);
      if (parsed.ok) textRecord(parsed.record, lineNumber);
      else sink.malformed(lineNumber, parsed.reason, line);
      return;
    }
    const json = findJsonReport(line);
    if (json < 0) return;
    const parsed = parseJsonReport(line, json);
    if (parsed === undefined) return;
    if (parsed.ok) sink.record(parsed.record, lineNumber);
    else sink.malformed(lineNumber, parsed.reason, line);
  }

  return {
    pushLine(line, lineNumber) {
      const text = findTextReport(line);
      if (pending !== undefined) {
        const xray = text < 0 ? findXrayLine(line) : -1;
        if (xray >= 0) {
          const held = pending;
          pending = undefined;
          const reason = completeWithXray(held, line, xray);
          sink.record(held, pendingLine);
          if (reason !== undefined) sink.malformed(lineNumber, reason, line);
          return;
        }
        flush();
      }
      parseLine(line, lineNumber, text);
    },
    pushTextRecord(record, lineNumber) {
      flush();
      textRecord(record, lineNumber);
    },
    pushJsonRecord(record, lineNumber) {
      flush();
      sink.record(record, lineNumber);
    },
    flush,
  };
}

/** A line-level parser of text and JSON REPORT records (see `createReportMachine`). */
export function createReportParser(): ReportParser {
  let outcomes: ParseOutcome[] = [];
  const machine = createReportMachine({
    record: (record, line) => outcomes.push({ kind: "record", record, line }),
    malformed: (line, reason, text) => outcomes.push({ kind: "malformed", line, reason, text }),
  });
  const take = (): readonly ParseOutcome[] => {
    if (outcomes.length === 0) return NOTHING;
    const taken = outcomes;
    outcomes = [];
    return taken;
  };
  return {
    push(line, lineNumber) {
      machine.pushLine(line, lineNumber);
      return take();
    },
    end() {
      machine.flush();
      return take();
    },
  };
}

function recordsIn(text: string): ReportRecord[] {
  const parser = createReportParser();
  const records: ReportRecord[] = [];
  const lines = text.split("\n");
  const collect = (outcomes: readonly ParseOutcome[]) => {
    for (const o of outcomes) if (o.kind === "record") records.push(o.record);
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    collect(parser.push(line.endsWith("\r") ? line.slice(0, -1) : line, i + 1));
  }
  collect(parser.end());
  return records;
}

/**
 * The record of one REPORT line (text or JSON), with the X-Ray line that may
 * follow it after a line break; undefined when it is not a readable REPORT record.
 */
export function parseReportLine(text: string): ReportRecord | undefined {
  return recordsIn(text)[0];
}

/**
 * The last REPORT record in a log tail (`LogType: Tail` gives the last 4 KB
 * of the log, REPORT line last; docs/lambda-facts.md, "Lambda API"), or
 * undefined when it has none.
 */
export function parseLogTail(tail: string): ReportRecord | undefined {
  return recordsIn(tail).at(-1);
}
