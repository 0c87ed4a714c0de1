import { decodeText } from "./bytes.js";
import type { ReportMachine } from "./parser.js";
import { PLATFORM_REPORT, scanJsonReport } from "./scan-json.js";
import { REPORT_KEYWORD, scanTextReport, XRAY_KEYWORD } from "./scan-text.js";

/** Feeds the REPORT machine from raw chunks of a log. */
export interface ReportScanner {
  /** The next chunk of input. */
  push(bytes: Buffer): void;
  /** The input ended: reads a last line without a line break. */
  finish(): void;
}

const NEWLINE = 10;
const CR = 13;
const TAB = 9;
const SPACE = 32;
const OPEN_OBJECT = 123;
const NONE = Number.MAX_SAFE_INTEGER;

/** Where `needle` next occurs in [from, to), or NONE. */
function find(b: Buffer, needle: Buffer, from: number, to: number): number {
  const at = b.indexOf(needle, from);
  return at < 0 || at >= to ? NONE : at;
}

/**
 * Reads chunks of a log without decoding them into lines: Buffer.indexOf
 * jumps from one line that mentions `REPORT RequestId:`, `XRAY TraceId:` or
 * `platform.report` to the next, and only those lines are read, by the byte
 * fast paths (scan-text.ts, scan-json.ts) or, for anything unusual, decoded
 * and given to the general parser. The lines in between are only counted, so
 * line numbers stay right. Lines are split and cut exactly as
 * `readLineBatches` does (line-source.ts), and memory holds one chunk and a
 * partial last line, whatever the input size.
 */
export function createReportScanner(machine: ReportMachine, maxLength: number): ReportScanner {
  /** Bytes of a line not yet ended, cut to about maxLength. */
  let partial: Buffer | undefined;
  /** Number of the next line to start. */
  let lineNumber = 1;
  /** Number of the last line given to the machine. */
  let lastGiven = 0;

  // Lines that were skipped since the last one given are no records: a held record goes out.
  const give = (n: number) => {
    if (lastGiven !== n - 1) machine.flush();
    lastGiven = n;
  };
  const cut = (line: string): string => {
    const end = Math.min(line.length, maxLength);
    return end > 0 && line.charCodeAt(end - 1) === CR ? line.slice(0, end - 1) : line.slice(0, end);
  };
  const keep = (bytes: Buffer): Buffer => {
    const joined = partial === undefined ? bytes : Buffer.concat([partial, bytes]);
    // A copy, so the partial line does not hold the whole chunk in memory.
    return Buffer.from(joined.subarray(0, 4 * maxLength + 4));
  };

  /** The line [start, newline) inside a chunk, mentioning a keyword at `m`. */
  function readLine(b: Buffer, start: number, newline: number, m: number, r: number, x: number) {
    const n = lineNumber;
    if (newline - start <= maxLength) {
      const end = newline > start && b[newline - 1] === CR ? newline - 1 : newline;
      if (m === r) {
        const before = r === start ? SPACE : b[r - 1];
        const record = before === SPACE || before === TAB ? scanTextReport(b, r, end) : undefined;
        if (record !== undefined) {
          give(n);
          machine.pushTextRecord(record, n);
          return;
        }
      } else if (r >= newline && x >= newline) {
        // A JSON event: its first `{` comes before the mention (parse-json.ts findJsonReport).
        const open = b.indexOf(OPEN_OBJECT, start);
        const record = open >= 0 && open < m ? scanJsonReport(b, open, end) : undefined;
        if (record !== undefined) {
          give(n);
          machine.pushJsonRecord(record, n);
          return;
        }
      }
    }
    // Cut as readLineBatches cuts a line inside a chunk.
    let text = decodeText(b.subarray(start, newline));
    if (text.length > maxLength) text = text.slice(0, maxLength);
    else if (text.charCodeAt(text.length - 1) === CR) text = text.slice(0, -1);
    give(n);
    machine.pushLine(text, n);
  }

  /** The whole lines [from, to) of a chunk, `to` just after its last line break. */
  function scan(b: Buffer, from: number, to: number): void {
    let pos = from;
    let r = find(b, REPORT_KEYWORD, pos, to);
    let x = find(b, XRAY_KEYWORD, pos, to);
    let j = find(b, PLATFORM_REPORT, pos, to);
    for (;;) {
      const m = Math.min(r, x, j);
      if (m === NONE) break;
      let newline = b.indexOf(NEWLINE, pos);
      while (newline < m) {
        lineNumber++;
        pos = newline + 1;
        newline = b.indexOf(NEWLINE, pos);
      }
      readLine(b, pos, newline, m, r, x);
      lineNumber++;
      pos = newline + 1;
      if (r < pos) r = find(b, REPORT_KEYWORD, pos, to);
      if (x < pos) x = find(b, XRAY_KEYWORD, pos, to);
      if (j < pos) j = find(b, PLATFORM_REPORT, pos, to);
    }
    // No line break after `to`: count the rest.
    for (let newline = b.indexOf(NEWLINE, pos); newline >= 0; newline = b.indexOf(NEWLINE, pos)) {
      lineNumber++;
      pos = newline + 1;
    }
  }

  function giveText(line: string): void {
    give(lineNumber);
    machine.pushLine(line, lineNumber);
    lineNumber++;
  }

  return {
    push(bytes) {
      const first = bytes.indexOf(NEWLINE);
      if (first < 0) {
        partial = keep(bytes);
        return;
      }
      // The first line may have begun in an earlier chunk: the general parser reads it.
      const head = bytes.subarray(0, first);
      giveText(cut(decodeText(partial === undefined ? head : Buffer.concat([partial, head]))));
      partial = undefined;
      const last = bytes.lastIndexOf(NEWLINE);
      scan(bytes, first + 1, last + 1);
      if (last + 1 < bytes.length) partial = keep(bytes.subarray(last + 1));
      // As when each line was pushed: a record held on a line before the chunk's last goes out now.
      if (lastGiven !== lineNumber - 1) machine.flush();
    },
    finish() {
      if (partial === undefined) return;
      giveText(cut(decodeText(partial)));
      partial = undefined;
    },
  };
}
