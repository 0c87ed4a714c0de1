import type { Readable } from "node:stream";
import { type LineSourceOptions, readLineBatches } from "./line-source.js";
import { createReportParser, type ParseOutcome } from "./parser.js";
import type { ReportRecord } from "./record.js";

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
 * pays the cost of an async step per chunk rather than per record.
 */
export async function* readRecordBatches(
  input: Readable,
  sourceName: string,
  options: ReadRecordsOptions = {},
): AsyncGenerator<ReportRecord[]> {
  const parser = createReportParser();
  const onMalformed = options.onMalformed;
  let records: ReportRecord[] = [];
  let waits: Promise<void>[] = [];

  const take = (outcomes: readonly ParseOutcome[]) => {
    for (const outcome of outcomes) {
      if (outcome.kind === "record") {
        records.push(outcome.record);
      } else if (onMalformed !== undefined) {
        const { line, reason, text } = outcome;
        const wait = onMalformed({ source: sourceName, line, reason, text });
        if (wait !== undefined) waits.push(wait);
      }
    }
  };

  for await (const batch of readLineBatches(input, options)) {
    const { lines, firstLineNumber } = batch;
    for (let i = 0; i < lines.length; i++) {
      const outcomes = parser.push(lines[i] as string, firstLineNumber + i);
      if (outcomes.length > 0) take(outcomes);
    }
    if (waits.length > 0) {
      await Promise.all(waits);
      waits = [];
    }
    if (records.length > 0) {
      yield records;
      records = [];
    }
  }
  take(parser.end());
  await Promise.all(waits);
  if (records.length > 0) yield records;
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
