import { findJsonReport, parseJsonReport } from "./parse-json.js";
import type { LineParse } from "./parse-text.js";
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

/**
 * A line-level parser of text and JSON REPORT records. It is a small state
 * machine: a text REPORT line without X-Ray fields is held back one line,
 * because Lambda may print `XRAY TraceId: ...` on the next line (LAMBDA-FACTS.md).
 */
export function createReportParser(): ReportParser {
  let pending: RecordOutcome | undefined;

  function outcome(parsed: LineParse, line: string, lineNumber: number): ParseOutcome {
    return parsed.ok
      ? { kind: "record", record: parsed.record, line: lineNumber }
      : { kind: "malformed", line: lineNumber, reason: parsed.reason, text: line };
  }

  function parseLine(line: string, lineNumber: number, text: number): readonly ParseOutcome[] {
    if (text >= 0) {
      const parsed = parseTextReport(line, text);
      const result = outcome(parsed, line, lineNumber);
      if (parsed.ok && parsed.record.xrayTraceId === undefined) {
        pending = result as RecordOutcome;
        return NOTHING;
      }
      return [result];
    }
    const json = findJsonReport(line);
    if (json >= 0) {
      const parsed = parseJsonReport(line, json);
      if (parsed !== undefined) return [outcome(parsed, line, lineNumber)];
    }
    return NOTHING;
  }

  return {
    push(line, lineNumber) {
      const text = findTextReport(line);
      if (pending === undefined) return parseLine(line, lineNumber, text);
      const held = pending;
      pending = undefined;
      const xray = text < 0 ? findXrayLine(line) : -1;
      if (xray >= 0) {
        const reason = completeWithXray(held.record, line, xray);
        if (reason === undefined) return [held];
        return [held, { kind: "malformed", line: lineNumber, reason, text: line }];
      }
      const next = parseLine(line, lineNumber, text);
      return next.length === 0 ? [held] : [held, ...next];
    },
    end() {
      if (pending === undefined) return NOTHING;
      const held = pending;
      pending = undefined;
      return [held];
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
 * of the log, REPORT line last; LAMBDA-FACTS.md), or undefined when it has none.
 */
export function parseLogTail(tail: string): ReportRecord | undefined {
  return recordsIn(tail).at(-1);
}
