import { latin1, matchAt, type Pattern, pattern } from "./bytes.js";
import type { InvocationStatus, ReportRecord } from "./record.js";

/**
 * A fast path for text REPORT lines: reads the fields straight from the bytes
 * of the input, decoding only the string values. It follows the general
 * parser (parse-text.ts `scanFields`) step for step, and gives up (undefined)
 * wherever that parser would do something less common: a value with a space
 * in it, an unknown field, a non-ASCII byte, a malformed or missing field, a
 * number of more than 15 digits. The caller then hands the line to the
 * general parser, so both always give the same result
 * (test/logs/fast-path.property.test.ts).
 */

const TAB = 9;
const SPACE = 32;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const NON_ASCII = 0x80;

/** `REPORT RequestId:`, the keyword that starts a text REPORT record. */
export const REPORT_KEYWORD = Buffer.from("REPORT RequestId:", "latin1");
/** `XRAY TraceId:`, the keyword of an X-Ray suffix or line. */
export const XRAY_KEYWORD = Buffer.from("XRAY TraceId:", "latin1");

// Field names with their colon, as parse-text.ts `fieldAt` matches them.
const DURATION = pattern("Duration:");
const BILLED_DURATION = pattern("Billed Duration:");
const BILLED_RESTORE_DURATION = pattern("Billed Restore Duration:");
const MEMORY_SIZE = pattern("Memory Size:");
const MAX_MEMORY_USED = pattern("Max Memory Used:");
const INIT_DURATION = pattern("Init Duration:");
const REQUEST_ID = pattern("RequestId:");
const RESTORE_DURATION = pattern("Restore Duration:");
const STATUS = pattern("Status:");
const SEGMENT_ID = pattern("SegmentId:");
const SAMPLED = pattern("Sampled:");
const ERROR_TYPE = pattern("Error Type:");
const XRAY_TRACE_ID = pattern("XRAY TraceId:");

const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14];

/** End of the line being read. */
let lineEnd = 0;

/** Where the last step ended: a module slot, so the hot path allocates no result objects. */
let scanEnd = 0;

/** Whether `name` is at `p` (setting `scanEnd` after it). */
function named(b: Buffer, p: number, name: Pattern): boolean {
  if (!matchAt(b, p, lineEnd, name)) return false;
  scanEnd = p + name.length;
  return true;
}

function skipSpace(b: Buffer, p: number): number {
  let c = b[p];
  while (c === TAB || c === SPACE) c = b[++p];
  return p;
}

/**
 * A decimal number at `p` (setting `scanEnd` after it), as parse-text.ts
 * `readNumber` reads it; NaN where that one would fail or leave the fast path.
 * The byte after the line (CR or LF) is never a digit, so no bound is needed.
 */
function readNumber(b: Buffer, p: number): number {
  let mantissa = 0;
  let digits = 0;
  let decimals = -1;
  let c = b[p] as number;
  for (;;) {
    if (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
      if (decimals >= 0) decimals++;
    } else if (c === DOT && decimals < 0) {
      decimals = 0;
    } else break;
    c = b[++p] as number;
  }
  scanEnd = p;
  if (digits === 0 || decimals === 0 || digits > 15) return Number.NaN;
  return decimals > 0 ? mantissa / (POWERS_OF_TEN[decimals] as number) : mantissa;
}

/**
 * End of a token at `p` that stops at a tab or space (request id, status,
 * trace id), or -1 for a non-ASCII byte, which the general parser decodes.
 */
function tokenEnd(b: Buffer, p: number, end: number): number {
  while (p < end) {
    const c = b[p] as number;
    // Most bytes are printable ASCII: one test for them.
    if (c > SPACE && c < NON_ASCII) {
      p++;
      continue;
    }
    if (c === TAB || c === SPACE) return p;
    if (c >= NON_ASCII) return -1;
    p++;
  }
  return p;
}

/** End of an error type at `p`: the next tab; -1 at a space (the general parser's rule is subtler). */
function wordEnd(b: Buffer, p: number, end: number): number {
  while (p < end) {
    const c = b[p] as number;
    if (c === TAB) return p;
    if (c === SPACE || c >= NON_ASCII) return -1;
    p++;
  }
  return p;
}

/** The status at [p, q) as one of the four constants, or undefined. */
function statusAt(b: Buffer, p: number, q: number): InvocationStatus | undefined {
  const length = q - p;
  const c = b[p];
  if (length === 7 && c === 115 && named(b, p, SUCCESS)) return "success";
  if (length === 5 && c === 101 && named(b, p, ERROR)) return "error";
  if (length === 7 && c === 102 && named(b, p, FAILURE)) return "failure";
  if (length === 7 && c === 116 && named(b, p, TIMEOUT)) return "timeout";
  return undefined;
}
const SUCCESS = pattern("success");
const ERROR = pattern("error");
const FAILURE = pattern("failure");
const TIMEOUT = pattern("timeout");
const TRUE = pattern("true");
const FALSE = pattern("false");

const NUMERIC = 0;
const STRING = 1;
const UNKNOWN = 2;
/** Which field's number or string the last `fieldAt` found. */
let field: Pattern = DURATION;

/** The kind of the known field at `p` (setting `field` and `scanEnd`), as parse-text.ts `fieldAt`. */
function fieldAt(b: Buffer, p: number): number {
  let name: Pattern;
  let kind = NUMERIC;
  switch (b[p]) {
    case 68: // D
      name = DURATION;
      break;
    case 66: // B
      name = b[p + 7] === 68 ? BILLED_DURATION : BILLED_RESTORE_DURATION;
      break;
    case 77: // M
      name = b[p + 1] === 101 ? MEMORY_SIZE : MAX_MEMORY_USED;
      break;
    case 73: // I
      name = INIT_DURATION;
      break;
    case 82: // R
      if (b[p + 2] === 113) {
        name = REQUEST_ID;
        kind = STRING;
      } else name = RESTORE_DURATION;
      break;
    case 83: // S
      name = b[p + 1] === 116 ? STATUS : b[p + 1] === 101 ? SEGMENT_ID : SAMPLED;
      kind = STRING;
      break;
    case 69: // E
      name = ERROR_TYPE;
      kind = STRING;
      break;
    case 88: // X
      name = XRAY_TRACE_ID;
      kind = STRING;
      break;
    default:
      return UNKNOWN;
  }
  if (!named(b, p, name)) return UNKNOWN;
  field = name;
  return kind;
}

/**
 * Reads the text REPORT line whose `REPORT RequestId:` starts at `start` and
 * which ends at `end` (before its CR or LF; `b[end]` must be that line break).
 * Returns the record, or undefined when the general parser must read the line.
 */
export function scanTextReport(b: Buffer, start: number, end: number): ReportRecord | undefined {
  let requestId = "";
  let durationMs = Number.NaN;
  let billedDurationMs = Number.NaN;
  let memorySizeMB = Number.NaN;
  let maxMemoryUsedMB = Number.NaN;
  let initDurationMs: number | undefined;
  let restoreDurationMs: number | undefined;
  let billedRestoreDurationMs: number | undefined;
  let status: InvocationStatus = "success";
  let errorType: string | undefined;
  let xrayTraceId: string | undefined;
  let xraySegmentId: string | undefined;
  let xraySampled: boolean | undefined;

  lineEnd = end;
  let p = start + 7;
  for (;;) {
    p = skipSpace(b, p);
    if (p >= end) break;
    const kind = fieldAt(b, p);
    if (kind === UNKNOWN) return undefined;
    if (kind === NUMERIC) {
      const value = readNumber(b, skipSpace(b, scanEnd));
      if (Number.isNaN(value)) return undefined;
      p = skipSpace(b, scanEnd);
      // Durations are in ms, memory in MB.
      const m = field === MEMORY_SIZE || field === MAX_MEMORY_USED;
      if (b[p] !== (m ? 77 : 109) || b[p + 1] !== (m ? 66 : 115) || p + 2 > end) return undefined;
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
    // Only spaces: a tab right after the colon means the value is missing.
    let from = scanEnd;
    while (b[from] === SPACE) from++;
    const to = field === ERROR_TYPE ? wordEnd(b, from, end) : tokenEnd(b, from, end);
    if (to <= from) return undefined;
    p = to;
    if (field === REQUEST_ID) requestId = latin1(b, from, to);
    else if (field === STATUS) {
      const known = statusAt(b, from, to);
      if (known === undefined) return undefined;
      status = known;
    } else if (field === ERROR_TYPE) errorType = latin1(b, from, to);
    else if (field === XRAY_TRACE_ID) xrayTraceId = latin1(b, from, to);
    else if (field === SEGMENT_ID) xraySegmentId = latin1(b, from, to);
    else if (to - from === 4 && named(b, from, TRUE) && b[from] === 116) xraySampled = true;
    else if (to - from === 5 && named(b, from, FALSE) && b[from] === 102) xraySampled = false;
    else return undefined;
  }
  if (
    requestId === "" ||
    Number.isNaN(durationMs) ||
    Number.isNaN(billedDurationMs) ||
    Number.isNaN(memorySizeMB) ||
    Number.isNaN(maxMemoryUsedMB)
  ) {
    return undefined;
  }
  // The same properties in the same order as the general parser's records.
  const record: ReportRecord = {
    requestId,
    durationMs,
    billedDurationMs,
    memorySizeMB,
    maxMemoryUsedMB,
    status,
  };
  if (initDurationMs !== undefined) record.initDurationMs = initDurationMs;
  if (restoreDurationMs !== undefined) record.restoreDurationMs = restoreDurationMs;
  if (billedRestoreDurationMs !== undefined)
    record.billedRestoreDurationMs = billedRestoreDurationMs;
  if (errorType !== undefined) record.errorType = errorType;
  if (xrayTraceId !== undefined) record.xrayTraceId = xrayTraceId;
  if (xraySegmentId !== undefined) record.xraySegmentId = xraySegmentId;
  if (xraySampled !== undefined) record.xraySampled = xraySampled;
  return record;
}
