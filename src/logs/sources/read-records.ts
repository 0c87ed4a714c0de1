import type { Readable } from "node:stream";
import { createReportMachine } from "../parser.js";
import type { ReportRecord } from "../record.js";
import { createReportScanner } from "../report-scanner.js";
import { DEFAULT_MAX_LINE_LENGTH, type LineSourceOptions } from "./line-source.js";

/** A line that began as a REPORT record but could not be read. */
export interface MalformedLine {
  source: string;
  line: number;
  reason: string;
  text: string;
}

export interface ReadRecordsOptions extends LineSourceOptions {
  /** Told of each malformed line; reading waits when it returns a promise (backpressure). */
  onMalformed?: (malformed: MalformedLine) => void | Promise<void>;
}

/**
 * REPORT records of a stream, one array per chunk read: the fast path, as it
 * pays the cost of an async step per chunk rather than per record. Chunks are
 * read as bytes (report-scanner.ts); lines, line numbers and outcomes are
 * those of `readLineBatches` fed to `createReportParser`.
 */
export async function* readRecordBatches(
  input: Readable,
  sourceName: string,
  options: ReadRecordsOptions = {},
): AsyncGenerator<ReportRecord[]> {
  const onMalformed = options.onMalformed;
  let records: ReportRecord[] = [];
  let waits: Promise<void>[] = [];
  const machine = createReportMachine({
    record(record) {
      records.push(record);
    },
    malformed(line, reason, text) {
      if (onMalformed === undefined) return;
      const wait = onMalformed({ source: sourceName, line, reason, text });
      if (wait !== undefined) waits.push(wait);
    },
  });
  const scanner = createReportScanner(machine, options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH);
  // Each step that may have produced outcomes: wait for the callbacks, then hand the records on.
  async function* settle(): AsyncGenerator<ReportRecord[]> {
    if (waits.length > 0) {
      await Promise.all(waits);
      waits = [];
    }
    if (records.length > 0) {
      const batch = records;
      records = [];
      yield batch;
    }
  }

  for await (const chunk of input) {
    scanner.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
    yield* settle();
  }
  scanner.finish();
  yield* settle();
  machine.flush();
  yield* settle();
}

/** REPORT records of a stream (a file or stdin), text or JSON format, in order. */
export async function* readRecords(
  input: Readable,
  sourceName: string,
  options: ReadRecordsOptions = {},
): AsyncGenerator<ReportRecord> {
  for await (const batch of readRecordBatches(input, sourceName, options)) {
    for (const record of batch) yield record;
  }
}
