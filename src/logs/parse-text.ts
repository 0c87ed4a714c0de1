import type { InvocationStatus, ReportRecord } from "./record.js";

/** A line that was read as a REPORT record, or why it could not be. */
export type LineParse = { ok: true; record: ReportRecord } | { ok: false; reason: string };

const TAB = 9;
const SPACE = 32;
const COLON = 58;
const DOT = 46;
const ZERO = 48;
const NINE = 57;

const REPORT_KEYWORD = "REPORT RequestId:";
const XRAY_KEYWORD = "XRAY TraceId:";

const STATUSES: ReadonlySet<string> = new Set(["success", "error", "failure", "timeout"]);

/**
 * Where `keyword` starts in `line` as a log record of its own: at the start,
 * or after whitespace (CloudWatch and `aws logs tail` put a timestamp and
 * stream name before it), so `INIT_REPORT` or a quoted mention do not count.
 */
function findKeyword(line: string, keyword: string): number {
  let at = line.indexOf(keyword);
  while (at > 0) {
    const before = line.charCodeAt(at - 1);
    if (before === SPACE || before === TAB) return at;
    at = line.indexOf(keyword, at + 1);
  }
  return at;
}

/** Index of `REPORT RequestId:` in a text REPORT line, or -1. */
export function findTextReport(line: string): number {
  return findKeyword(line, REPORT_KEYWORD);
}

/** Index of `XRAY TraceId:` in an X-Ray line, or -1. */
export function findXrayLine(line: string): number {
  return findKeyword(line, XRAY_KEYWORD);
}

// Copies of REPORT lines turn the separating tab into runs of spaces
// (docs/lambda-facts.md, "REPORT records").
function skipSpace(line: string, p: number): number {
  let c = line.charCodeAt(p);
  while (c === TAB || c === SPACE) c = line.charCodeAt(++p);
  return p;
}

/** End of a token without whitespace (request id, trace id). */
function tokenEnd(line: string, p: number): number {
  const length = line.length;
  while (p < length) {
    const c = line.charCodeAt(p);
    if (c === TAB || c === SPACE) break;
    p++;
  }
  return p;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Whether a field `Name Words:` starts at `p` (capitalised words, then a colon). */
function isFieldStart(line: string, p: number): boolean {
  let c = line.charCodeAt(p);
  if (!isUpper(c)) return false;
  for (;;) {
    while (isLetter(c)) c = line.charCodeAt(++p);
    if (c === COLON) return true;
    if (c !== SPACE || !isUpper(line.charCodeAt(p + 1))) return false;
    c = line.charCodeAt(++p);
  }
}

/**
 * End of a free-text value (error type, unknown field): the next tab, two
 * spaces, or a single space before the next `Name:` when tabs became spaces.
 */
function valueEnd(line: string, p: number): number {
  const length = line.length;
  while (p < length) {
    const c = line.charCodeAt(p);
    if (c === TAB) return p;
    if (c === SPACE) {
      const next = line.charCodeAt(p + 1);
      if (next === SPACE || next === TAB || p + 1 >= length || isFieldStart(line, p + 1)) return p;
    }
    p++;
  }
  return p;
}

/** Field codes; the numeric ones come first. */
const DURATION = 0;
const BILLED_DURATION = 1;
const MEMORY_SIZE = 2;
const MAX_MEMORY_USED = 3;
const INIT_DURATION = 4;
const RESTORE_DURATION = 5;
const BILLED_RESTORE_DURATION = 6;
const LAST_NUMERIC = 6;
const REQUEST_ID = 7;
const STATUS = 8;
const ERROR_TYPE = 9;
const XRAY_TRACE_ID = 10;
const SEGMENT_ID = 11;
const SAMPLED = 12;
const UNKNOWN = 13;

const FIELD_NAMES = [
  "Duration",
  "Billed Duration",
  "Memory Size",
  "Max Memory Used",
  "Init Duration",
  "Restore Duration",
  "Billed Restore Duration",
];

/**
 * Where the last scan ended. A module slot holding a small integer, so that
 * the hot path returns values without allocating result objects.
 */
let scanEnd = 0;

// A plain loop: String.prototype.startsWith with a position is not inlined and
// was a third of the parse time.
function named(line: string, p: number, name: string, code: number): number {
  const length = name.length;
  for (let i = 1; i < length; i++) {
    if (line.charCodeAt(p + i) !== name.charCodeAt(i)) return UNKNOWN;
  }
  scanEnd = p + length;
  return code;
}

/** Which known field starts at `p` (setting `scanEnd` after its colon), or UNKNOWN. */
function fieldAt(line: string, p: number): number {
  switch (line.charCodeAt(p)) {
    case 68: // D
      return named(line, p, "Duration:", DURATION);
    case 66: // B
      return line.charCodeAt(p + 7) === 68
        ? named(line, p, "Billed Duration:", BILLED_DURATION)
        : named(line, p, "Billed Restore Duration:", BILLED_RESTORE_DURATION);
    case 77: // M
      return line.charCodeAt(p + 1) === 101
        ? named(line, p, "Memory Size:", MEMORY_SIZE)
        : named(line, p, "Max Memory Used:", MAX_MEMORY_USED);
    case 73: // I
      return named(line, p, "Init Duration:", INIT_DURATION);
    case 82: // R
      return line.charCodeAt(p + 2) === 113
        ? named(line, p, "RequestId:", REQUEST_ID)
        : named(line, p, "Restore Duration:", RESTORE_DURATION);
    case 83: // S
      if (line.charCodeAt(p + 1) === 116) return named(line, p, "Status:", STATUS);
      return line.charCodeAt(p + 1) === 101
        ? named(line, p, "SegmentId:", SEGMENT_ID)
        : named(line, p, "Sampled:", SAMPLED);
    case 69: // E
      return named(line, p, "Error Type:", ERROR_TYPE);
    case 88: // X
      return named(line, p, XRAY_KEYWORD, XRAY_TRACE_ID);
    default:
      return UNKNOWN;
  }
}

const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14];

/** Reads a decimal number at `p` (setting `scanEnd` after it), or NaN. */
function readNumber(line: string, p: number): number {
  const start = p;
  let mantissa = 0;
  let digits = 0;
  let decimals = -1;
  let c = line.charCodeAt(p);
  for (;;) {
    if (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
      if (decimals >= 0) decimals++;
    } else if (c === DOT && decimals < 0) {
      decimals = 0;
    } else break;
    c = line.charCodeAt(++p);
  }
  scanEnd = p;
  if (digits === 0 || decimals === 0) return Number.NaN;
  // An exact integer over an exact power of ten is correctly rounded, as Number() is.
  if (digits > 15) return Number(line.slice(start, p));
  return decimals > 0 ? mantissa / (POWERS_OF_TEN[decimals] as number) : mantissa;
}

/**
 * Reads `Name: value` fields from `p` to the end of the line into a record;
 * required fields it did not see are NaN or empty. Returns the reason when a
 * field cannot be read. Fields may come in any order (the RIE prints `Init
 * Duration` first) and be separated by tabs, runs of spaces, or nothing after
 * a unit: an old RIE build printed `400 msMemory Size`
 * (docs/lambda-facts.md, "REPORT records").
 */
function scanFields(line: string, p: number): ReportRecord | string {
  const length = line.length;
  let requestId = "";
  let durationMs = Number.NaN;
  let billedDurationMs = Number.NaN;
  let memorySizeMB = Number.NaN;
  let maxMemoryUsedMB = Number.NaN;
  let initDurationMs: number | undefined;
  let restoreDurationMs: number | undefined;
  let billedRestoreDurationMs: number | undefined;
  let status = "success";
  let errorType: string | undefined;
  let xrayTraceId: string | undefined;
  let xraySegmentId: string | undefined;
  let xraySampled: boolean | undefined;
  let extra: Record<string, string> | undefined;

  for (;;) {
    p = skipSpace(line, p);
    if (p >= length) break;
    const field = fieldAt(line, p);
    if (field <= LAST_NUMERIC) {
      const start = skipSpace(line, scanEnd);
      const value = readNumber(line, start);
      const name = FIELD_NAMES[field] as string;
      if (Number.isNaN(value)) {
        return `${name} is not a number: "${line.slice(start, tokenEnd(line, start))}"`;
      }
      p = skipSpace(line, scanEnd);
      // Durations are in ms, memory in MB.
      const m = field === MEMORY_SIZE || field === MAX_MEMORY_USED;
      if (line.charCodeAt(p) !== (m ? 77 : 109) || line.charCodeAt(p + 1) !== (m ? 66 : 115)) {
        return `${name} has no unit "${m ? "MB" : "ms"}"`;
      }
      p += 2;
      if (field === DURATION) durationMs = value;
      else if (field === BILLED_DURATION) billedDurationMs = value;
      else if (field === MEMORY_SIZE) memorySizeMB = value;
      else if (field === MAX_MEMORY_USED) maxMemoryUsedMB = value;
      else if (field === INIT_DURATION) initDurationMs = value;
      else if (field === RESTORE_DURATION) restoreDurationMs = value;
      else billedRestoreDurationMs = value;
      continue;
    }
    if (field === UNKNOWN) {
      // A field this parser does not know is kept verbatim in `extra`, not rejected.
      const nameEnd = isFieldStart(line, p) ? line.indexOf(":", p) : -1;
      if (nameEnd < 0) return `unexpected text "${line.slice(p, valueEnd(line, p))}"`;
      const start = skipSpace(line, nameEnd + 1);
      const end = valueEnd(line, start);
      extra ??= {};
      extra[line.slice(p, nameEnd)] = line.slice(start, end);
      p = end;
      continue;
    }
    // Only spaces: a tab right after the colon means the value is missing.
    let start = scanEnd;
    while (line.charCodeAt(start) === SPACE) start++;
    const end = field === ERROR_TYPE ? valueEnd(line, start) : tokenEnd(line, start);
    const value = line.slice(start, end);
    p = end;
    if (field === REQUEST_ID) requestId = value;
    else if (field === ERROR_TYPE) errorType = value;
    else if (field === XRAY_TRACE_ID) xrayTraceId = value;
    else if (field === SEGMENT_ID) xraySegmentId = value;
    else if (field === STATUS) {
      if (!STATUSES.has(value)) {
        return `unknown Status "${value}" (expected success, error, failure or timeout)`;
      }
      status = value;
    } else {
      if (value !== "true" && value !== "false") return `Sampled is not true or false: "${value}"`;
      xraySampled = value === "true";
    }
  }

  const record: ReportRecord = {
    requestId,
    durationMs,
    billedDurationMs,
    memorySizeMB,
    maxMemoryUsedMB,
    status: status as InvocationStatus,
  };
  if (initDurationMs !== undefined) record.initDurationMs = initDurationMs;
  if (restoreDurationMs !== undefined) record.restoreDurationMs = restoreDurationMs;
  if (billedRestoreDurationMs !== undefined)
    record.billedRestoreDurationMs = billedRestoreDurationMs;
  if (errorType !== undefined) record.errorType = errorType;
  if (xrayTraceId !== undefined) record.xrayTraceId = xrayTraceId;
  if (xraySegmentId !== undefined) record.xraySegmentId = xraySegmentId;
  if (xraySampled !== undefined) record.xraySampled = xraySampled;
  if (extra !== undefined) record.extra = extra;
  return record;
}

function missingField(record: ReportRecord): string | undefined {
  if (record.requestId === "") return "RequestId has no value";
  if (Number.isNaN(record.durationMs)) return "missing Duration";
  if (Number.isNaN(record.billedDurationMs)) return "missing Billed Duration";
  if (Number.isNaN(record.memorySizeMB)) return "missing Memory Size";
  if (Number.isNaN(record.maxMemoryUsedMB)) return "missing Max Memory Used";
  return undefined;
}

/** Reads a text REPORT line whose `REPORT RequestId:` starts at `start` (see `findTextReport`). */
export function parseTextReport(line: string, start: number): LineParse {
  const record = scanFields(line, start + 7);
  if (typeof record === "string") return { ok: false, reason: record };
  const missing = missingField(record);
  return missing === undefined ? { ok: true, record } : { ok: false, reason: missing };
}

/**
 * Reads an X-Ray line (`XRAY TraceId: ... SegmentId: ... Sampled: true`,
 * starting at `start`, see `findXrayLine`) into the REPORT record it
 * completes: Lambda may print it on the line after the REPORT line
 * (docs/lambda-facts.md, "REPORT records"). Returns the reason when the
 * line cannot be read.
 */
export function completeWithXray(
  record: ReportRecord,
  line: string,
  start: number,
): string | undefined {
  const xray = scanFields(line, start);
  if (typeof xray === "string") return xray;
  if (xray.xrayTraceId === undefined) return "X-Ray line has no TraceId";
  record.xrayTraceId = xray.xrayTraceId;
  if (xray.xraySegmentId !== undefined) record.xraySegmentId = xray.xraySegmentId;
  if (xray.xraySampled !== undefined) record.xraySampled = xray.xraySampled;
  if (xray.extra !== undefined) record.extra = { ...record.extra, ...xray.extra };
  return undefined;
}
