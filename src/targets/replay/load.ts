import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { UsageError } from "../../errors.js";
import type { ReportRecord } from "../../logs/record.js";

export interface Recording {
  /** The file's name, for messages and the result document. */
  name: string;
  records: ReportRecord[];
}

function openError(path: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const hint = "give --replay-file the path of a log with Lambda REPORT lines";
  if (code === "ENOENT") return new UsageError(`no such file: ${path}`, { hint, cause: error });
  if (code === "EISDIR") return new UsageError(`${path} is a directory`, { hint, cause: error });
  if (code === "EACCES") {
    return new UsageError(`no permission to read ${path}`, { hint, cause: error });
  }
  return error;
}

// TEMPORARY until src/logs/read-records.ts lands: text REPORT lines only.
function readReportLines(text: string): ReportRecord[] {
  const records: ReportRecord[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith("REPORT RequestId:")) continue;
    const field = (name: string) =>
      new RegExp(`${name}: ([^\\t]+?)(?: ms| MB)?\\s*(?:\\t|$)`).exec(line)?.[1];
    records.push({
      requestId: field("RequestId") ?? "",
      durationMs: Number(field("Duration")),
      billedDurationMs: Number(field("Billed Duration")),
      memorySizeMB: Number(field("Memory Size")),
      maxMemoryUsedMB: Number(field("Max Memory Used")),
      status: "success",
    });
  }
  return records;
}

/** Reads a recording of REPORT records (text or JSON log format) for the replay target. */
export async function loadRecording(path: string): Promise<Recording> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw openError(path, error);
  }
  const records = readReportLines(text);
  if (records.length === 0) {
    throw new UsageError(`${path} has no REPORT records`, {
      hint: "give --replay-file a Lambda log with REPORT lines, e.g. from `aws logs tail` or a JSON-format log group",
    });
  }
  return { name: basename(path), records };
}
