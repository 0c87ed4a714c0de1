import { open } from "node:fs/promises";
import type { Readable } from "node:stream";
import { UsageError } from "../../errors.js";
import { decodeText } from "../bytes.js";

/** Lines split from one chunk of input; line numbers count from 1. */
export interface LineBatch {
  lines: string[];
  firstLineNumber: number;
}

export interface LineSourceOptions {
  /**
   * Longer lines are cut to this many characters, so one huge line (a logged
   * payload, a file without line breaks) cannot grow memory without bound.
   */
  maxLineLength?: number;
}

/** Read size for log files: large reads are what make the splitter fast. */
export const LOG_READ_CHUNK_BYTES = 1 << 20;
export const DEFAULT_MAX_LINE_LENGTH = 1 << 20;
const CR = 13;
const NEWLINE = 10;

/**
 * Splits a stream into lines, one batch per chunk read, holding only the
 * current chunk and a partial last line: memory stays flat whatever the input
 * size. Handles LF and CRLF; a last line without a line break counts.
 */
export async function* readLineBatches(
  input: Readable,
  options: LineSourceOptions = {},
): AsyncGenerator<LineBatch> {
  const maxLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  /** Bytes of a line not yet ended, cut to about maxLength. */
  let partial: Buffer | undefined;
  let lineNumber = 1;

  const cut = (line: string): string => {
    const end = Math.min(line.length, maxLength);
    return end > 0 && line.charCodeAt(end - 1) === CR ? line.slice(0, end - 1) : line.slice(0, end);
  };
  const keep = (bytes: Buffer): Buffer => {
    const joined = partial === undefined ? bytes : Buffer.concat([partial, bytes]);
    // A copy, so the partial line does not hold the whole chunk in memory.
    return Buffer.from(joined.subarray(0, 4 * maxLength + 4));
  };

  for await (const chunk of input) {
    const bytes: Buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    const first = bytes.indexOf(NEWLINE);
    if (first < 0) {
      partial = keep(bytes);
      continue;
    }
    const head = bytes.subarray(0, first);
    const lines: string[] = [
      cut(decodeText(partial === undefined ? head : Buffer.concat([partial, head]))),
    ];
    partial = undefined;
    const last = bytes.lastIndexOf(NEWLINE);
    const text = decodeText(bytes.subarray(first + 1, last + 1));
    let start = 0;
    let newline = text.indexOf("\n");
    while (newline >= 0) {
      let end = newline;
      if (end - start > maxLength) end = start + maxLength;
      else if (end > start && text.charCodeAt(end - 1) === CR) end--;
      lines.push(text.slice(start, end));
      start = newline + 1;
      newline = text.indexOf("\n", start);
    }
    if (last + 1 < bytes.length) partial = keep(bytes.subarray(last + 1));
    yield { lines, firstLineNumber: lineNumber };
    lineNumber += lines.length;
  }
  if (partial !== undefined)
    yield { lines: [cut(decodeText(partial))], firstLineNumber: lineNumber };
}

/** One line at a time, for callers that do not need the batch speed. */
export async function* readLines(
  input: Readable,
  options: LineSourceOptions = {},
): AsyncGenerator<{ text: string; lineNumber: number }> {
  for await (const batch of readLineBatches(input, options)) {
    for (let i = 0; i < batch.lines.length; i++) {
      yield { text: batch.lines[i] as string, lineNumber: batch.firstLineNumber + i };
    }
  }
}

/**
 * Opens a log file for reading, so that a missing or unreadable file fails
 * here, with a UsageError naming it, rather than midway through a stream.
 */
export async function openLogFile(path: string): Promise<Readable> {
  try {
    const handle = await open(path, "r");
    const stats = await handle.stat();
    if (stats.isDirectory()) {
      await handle.close();
      throw new UsageError(`${path} is a directory, not a log file`, {
        hint: "Pass the log files themselves, e.g. logs/*.log, or pipe the logs to stdin.",
      });
    }
    return handle.createReadStream({ highWaterMark: LOG_READ_CHUNK_BYTES });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === "ENOENT"
        ? "does not exist"
        : code === "EACCES" || code === "EPERM"
          ? "cannot be read (permission denied)"
          : `cannot be opened (${code ?? String(error)})`;
    throw new UsageError(`log file ${path} ${problem}`, {
      hint: "Check the path, or pipe the logs to stdin instead of naming a file.",
      cause: error,
    });
  }
}
