import { basename } from "node:path";
import { UsageError } from "../../errors.js";
import type { ReportRecord } from "../../logs/record.js";
import { openLogFile } from "../../logs/sources/line-source.js";
import { type MalformedLine, readRecordBatches } from "../../logs/sources/read-records.js";

export interface Recording {
  /** The file's name, for messages and the result document. */
  name: string;
  records: ReportRecord[];
  /** About REPORT lines that could not be read and were skipped. */
  warnings: string[];
}

const HINT = "give --replay-file a Lambda log with REPORT lines (text or JSON log format)";

function describeMalformed(name: string, malformed: readonly MalformedLine[]): string[] {
  const first = malformed[0];
  if (first === undefined) return [];
  const lines = malformed.length === 1 ? "1 REPORT line" : `${malformed.length} REPORT lines`;
  return [
    `skipped ${lines} of ${name} that could not be read (line ${first.line}: ${first.reason})`,
  ];
}

/** Reads a recording of REPORT records (text or JSON log format) for the replay target. */
export async function loadRecording(path: string): Promise<Recording> {
  let input: Awaited<ReturnType<typeof openLogFile>>;
  try {
    input = await openLogFile(path);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(error.message, { hint: HINT, cause: error });
  }
  const name = basename(path);
  const records: ReportRecord[] = [];
  const malformed: MalformedLine[] = [];
  const batches = readRecordBatches(input, name, { onMalformed: (m) => void malformed.push(m) });
  for await (const batch of batches) records.push(...batch);
  if (records.length === 0) {
    throw new UsageError(`${path} has no REPORT records`, { hint: HINT });
  }
  return { name, records, warnings: describeMalformed(name, malformed) };
}
