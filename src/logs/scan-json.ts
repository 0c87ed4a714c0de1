import { latin1, matchAt, type Pattern, pattern } from "./bytes.js";
import { readTraceHeader } from "./parse-json.js";
import type { InvocationStatus, ReportRecord } from "./record.js";

/**
 * A fast path for JSON `platform.report` events (LogFormat=JSON): reads the
 * event straight from the bytes of the input instead of JSON.parse on a
 * decoded line. It accepts a strict subset of JSON (no escapes, no exponents,
 * no unknown metrics, no repeated known keys, nothing after the event) and
 * gives up (undefined) on anything else, so the general parser
 * (parse-json.ts) reads that line and both always agree
 * (test/logs/fast-path.property.test.ts).
 */

const TAB = 9;
const SPACE = 32;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const CONTROL = 0x20;
const NON_ASCII = 0x80;
const MAX_DEPTH = 16;

/** `platform.report`, which every JSON REPORT event mentions. */
export const PLATFORM_REPORT = Buffer.from("platform.report", "latin1");
const QUOTED_PLATFORM_REPORT = pattern('"platform.report"');
const QUOTED_SUCCESS = pattern('"success"');

const bytesOf = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** A member name: `"name":` to match at once, and the bare name for keys spaced otherwise. */
interface Key {
  quoted: Pattern;
  bare: Uint8Array;
}
const keys = (...names: string[]): readonly Key[] =>
  names.map((name) => ({ quoted: pattern(`"${name}":`), bare: bytesOf(name) }));

// Each list in the order Lambda writes the members, so the first try usually matches.
const EVENT_KEYS = keys("time", "type", "record");
const TYPE = 1;
const RECORD = 2;
const BODY_KEYS = keys("requestId", "metrics", "status", "errorType", "tracing");
const REQUEST_ID = 0;
const METRICS = 1;
const STATUS = 2;
const ERROR_TYPE = 3;
const TRACING = 4;
/** Metric names in the order of their slots in `metrics`. */
const METRIC_KEYS = keys(
  "durationMs",
  "billedDurationMs",
  "memorySizeMB",
  "maxMemoryUsedMB",
  "initDurationMs",
  "restoreDurationMs",
  "billedRestoreDurationMs",
);
const TRACING_KEYS = keys("value");
const STATUSES: readonly (readonly [Uint8Array, InvocationStatus])[] = (
  ["success", "error", "failure", "timeout"] as const
).map((s) => [bytesOf(s), s] as const);
const LITERALS = [bytesOf("true"), bytesOf("false"), bytesOf("null")];

const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14];

/** Whether the last string read was all ASCII. */
let ascii = true;

function skipSpace(b: Buffer, p: number): number {
  let c = b[p];
  while (c === SPACE || c === TAB) c = b[++p];
  return p;
}

/** Whether the bytes [p, q) are `name`. */
function is(b: Buffer, p: number, q: number, name: Uint8Array): boolean {
  if (q - p !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (b[p + i] !== name[i]) return false;
  return true;
}

/**
 * The closing quote of a string whose contents start at `p`, or -1 for an
 * escape or a control character (JSON.parse would decode or reject those).
 */
function stringEnd(b: Buffer, p: number, end: number): number {
  let all = true;
  while (p < end) {
    const c = b[p] as number;
    // Most bytes are printable ASCII past the quote: one test for them.
    if (c > QUOTE && c < NON_ASCII && c !== BACKSLASH) {
      p++;
      continue;
    }
    if (c === QUOTE) {
      ascii = all;
      return p;
    }
    if (c < CONTROL || c === BACKSLASH) return -1;
    if (c >= NON_ASCII) all = false;
    p++;
  }
  return -1;
}

/** End of the number read last by `readNumber`. */
let numberEnd = 0;

/**
 * A JSON number at `p` (setting `numberEnd` after it), exactly as JSON.parse
 * reads it; NaN for invalid JSON, an exponent or more than 15 digits. The
 * byte after the line (CR or LF) ends every number.
 */
function readNumber(b: Buffer, p: number): number {
  const negative = b[p] === MINUS;
  if (negative) p++;
  let c = b[p] as number;
  if (c < ZERO || c > NINE) return Number.NaN;
  let mantissa = 0;
  let digits = 0;
  let decimals = 0;
  if (c === ZERO) {
    c = b[++p] as number;
    if (c >= ZERO && c <= NINE) return Number.NaN;
  } else {
    while (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
      c = b[++p] as number;
    }
  }
  if (c === DOT) {
    c = b[++p] as number;
    if (c < ZERO || c > NINE) return Number.NaN;
    while (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
      decimals++;
      c = b[++p] as number;
    }
  }
  // An exponent, or too many digits for the exact division below.
  if (c === 101 || c === 69 || digits > 15) return Number.NaN;
  numberEnd = p;
  // An exact integer over an exact power of ten is correctly rounded, as JSON.parse is.
  const value = decimals > 0 ? mantissa / (POWERS_OF_TEN[decimals] as number) : mantissa;
  return negative ? -value : value;
}

/** End of the key whose opening quote is at `p`, with the colon after it, or -1. */
function keyEnd(b: Buffer, p: number, end: number): number {
  if (b[p] !== QUOTE) return -1;
  const close = stringEnd(b, p + 1, end);
  return close >= 0 && b[skipSpace(b, close + 1)] === COLON ? close : -1;
}

/** Where the value after the key that ends at `close` starts. */
function valueStart(b: Buffer, close: number): number {
  return skipSpace(b, skipSpace(b, close + 1) + 1);
}

/**
 * After a member's value at `p`: the start of the next key (after a comma),
 * END_OF_OBJECT - position after the closing brace, encoded as a negative
 * number below -1, or -1 where the fast path gives up.
 */
function nextMember(b: Buffer, p: number, close: number): number {
  p = skipSpace(b, p);
  if (b[p] === COMMA) return skipSpace(b, p + 1);
  return b[p] === close ? -2 - (p + 1) : -1;
}

/** Skips any JSON value at `p`; returns the position after it, or -1 where the fast path gives up. */
function skipValue(b: Buffer, p: number, end: number, depth: number): number {
  const c = b[p];
  if (c === QUOTE) {
    const close = stringEnd(b, p + 1, end);
    return close < 0 ? -1 : close + 1;
  }
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
    if (depth >= MAX_DEPTH) return -1;
    const close = c === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY;
    p = skipSpace(b, p + 1);
    if (b[p] === close) return p + 1;
    for (;;) {
      if (c === OPEN_OBJECT) {
        const key = keyEnd(b, p, end);
        if (key < 0) return -1;
        p = valueStart(b, key);
      }
      const after = skipValue(b, p, end, depth + 1);
      if (after < 0) return -1;
      p = nextMember(b, after, close);
      if (p < -1) return -2 - p;
      if (p < 0) return -1;
    }
  }
  for (const literal of LITERALS) {
    if (c === literal[0] && is(b, p, p + literal.length, literal)) return p + literal.length;
  }
  return Number.isNaN(readNumber(b, p)) ? -1 : numberEnd;
}

/** Where the value of the member read last by `keyAt` starts. */
let valueAt = 0;

/**
 * The index in `known` of the member name at `p` (setting `valueAt`),
 * `known.length` for another name, or -1 where the fast path gives up.
 * `expected` is tried first: members usually come in Lambda's order.
 */
function keyAt(b: Buffer, p: number, end: number, known: readonly Key[], expected: number): number {
  const likely = known[expected];
  if (likely !== undefined && matchAt(b, p, end, likely.quoted)) {
    valueAt = skipSpace(b, p + likely.quoted.length);
    return expected;
  }
  for (let i = 0; i < known.length; i++) {
    const quoted = (known[i] as Key).quoted;
    if (matchAt(b, p, end, quoted)) {
      valueAt = skipSpace(b, p + quoted.length);
      return i;
    }
  }
  const close = keyEnd(b, p, end);
  if (close < 0) return -1;
  valueAt = valueStart(b, close);
  for (let i = 0; i < known.length; i++) if (is(b, p + 1, close, (known[i] as Key).bare)) return i;
  return known.length;
}

/** Metric values by slot (NaN when absent), in the order of METRIC_KEYS. */
const metrics = new Float64Array(METRIC_KEYS.length);

/**
 * Reads the `metrics` object at `p` into `metrics`; returns the position
 * after it, or -1 for an unknown metric (kept in `extra`), a repeated one,
 * or anything else the fast path leaves to the general parser.
 */
function readMetrics(b: Buffer, p: number, end: number): number {
  for (let i = 0; i < metrics.length; i++) metrics[i] = Number.NaN;
  if (b[p] !== OPEN_OBJECT) return -1;
  p = skipSpace(b, p + 1);
  if (b[p] === CLOSE_OBJECT) return p + 1;
  let expected = 0;
  for (;;) {
    const slot = keyAt(b, p, end, METRIC_KEYS, expected);
    if (slot < 0 || slot >= metrics.length || !Number.isNaN(metrics[slot] as number)) return -1;
    const value = readNumber(b, valueAt);
    if (Number.isNaN(value)) return -1;
    metrics[slot] = value;
    expected = slot + 1;
    p = nextMember(b, numberEnd, CLOSE_OBJECT);
    if (p < -1) return -2 - p;
    if (p < 0) return -1;
  }
}

/** End of the tracing object read last by `readTracing`. */
let tracingEnd = 0;

/**
 * The `value` string of the `tracing` object at `p` (setting `tracingEnd`
 * after it); null when it has none, undefined where the fast path gives up.
 */
function readTracing(b: Buffer, p: number, end: number): string | null | undefined {
  if (b[p] !== OPEN_OBJECT) return undefined;
  let value: string | null = null;
  p = skipSpace(b, p + 1);
  if (b[p] === CLOSE_OBJECT) {
    tracingEnd = p + 1;
    return value;
  }
  for (;;) {
    const key = keyAt(b, p, end, TRACING_KEYS, 0);
    if (key < 0) return undefined;
    const v = valueAt;
    let after: number;
    if (key === 0) {
      const close = b[v] === QUOTE ? stringEnd(b, v + 1, end) : -1;
      if (value !== null || close < 0 || !ascii) return undefined;
      value = latin1(b, v + 1, close);
      after = close + 1;
    } else {
      after = skipValue(b, v, end, 3);
      if (after < 0) return undefined;
    }
    p = nextMember(b, after, CLOSE_OBJECT);
    if (p < -1) {
      tracingEnd = -2 - p;
      return value;
    }
    if (p < 0) return undefined;
  }
}

/** End of the status read last by `statusAt`. */
let statusEnd = 0;

/** The status named by the string whose opening quote is at `v` (setting `statusEnd`), or undefined. */
function statusAt(b: Buffer, v: number, end: number): InvocationStatus | undefined {
  if (matchAt(b, v, end, QUOTED_SUCCESS)) {
    statusEnd = v + QUOTED_SUCCESS.length;
    return "success";
  }
  const close = b[v] === QUOTE ? stringEnd(b, v + 1, end) : -1;
  statusEnd = close + 1;
  for (const [name, status] of STATUSES) if (is(b, v + 1, close, name)) return status;
  return undefined;
}

/** End of the record object read last by `readBody`. */
let bodyEnd = 0;

/** Reads the `record` object at `p` (setting `bodyEnd` after it), as parse-json.ts `readReportBody`. */
function readBody(b: Buffer, p: number, end: number): ReportRecord | undefined {
  if (b[p] !== OPEN_OBJECT) return undefined;
  let requestId: string | undefined;
  let sawMetrics = false;
  let status: InvocationStatus | undefined;
  let errorType: string | undefined;
  let sawTracing = false;
  let traceValue: string | null = null;
  let expected = 0;
  p = skipSpace(b, p + 1);
  for (;;) {
    const key = keyAt(b, p, end, BODY_KEYS, expected);
    if (key < 0) return undefined;
    const v = valueAt;
    let after: number;
    if (key === REQUEST_ID) {
      const close = b[v] === QUOTE ? stringEnd(b, v + 1, end) : -1;
      if (requestId !== undefined || close <= v + 1 || !ascii) return undefined;
      requestId = latin1(b, v + 1, close);
      after = close + 1;
    } else if (key === METRICS) {
      if (sawMetrics) return undefined;
      sawMetrics = true;
      after = readMetrics(b, v, end);
    } else if (key === STATUS) {
      if (status !== undefined) return undefined;
      status = statusAt(b, v, end);
      if (status === undefined) return undefined;
      after = statusEnd;
    } else if (key === ERROR_TYPE) {
      const close = b[v] === QUOTE ? stringEnd(b, v + 1, end) : -1;
      if (errorType !== undefined || close < 0 || !ascii) return undefined;
      errorType = latin1(b, v + 1, close);
      after = close + 1;
    } else if (key === TRACING) {
      const value = sawTracing ? undefined : readTracing(b, v, end);
      if (value === undefined) return undefined;
      sawTracing = true;
      traceValue = value;
      after = tracingEnd;
    } else {
      after = skipValue(b, v, end, 2);
    }
    if (after < 0) return undefined;
    expected = key + 1;
    p = nextMember(b, after, CLOSE_OBJECT);
    if (p < -1) {
      bodyEnd = -2 - p;
      break;
    }
    if (p < 0) return undefined;
  }
  const durationMs = metrics[0] as number;
  const billedDurationMs = metrics[1] as number;
  const memorySizeMB = metrics[2] as number;
  const maxMemoryUsedMB = metrics[3] as number;
  if (
    requestId === undefined ||
    !sawMetrics ||
    Number.isNaN(durationMs) ||
    Number.isNaN(billedDurationMs) ||
    Number.isNaN(memorySizeMB) ||
    Number.isNaN(maxMemoryUsedMB)
  ) {
    return undefined;
  }
  // The same properties in the same order as parse-json.ts builds them.
  const record: ReportRecord = {
    requestId,
    durationMs,
    billedDurationMs,
    memorySizeMB,
    maxMemoryUsedMB,
    status: status ?? "success",
  };
  const initDurationMs = metrics[4] as number;
  const restoreDurationMs = metrics[5] as number;
  const billedRestoreDurationMs = metrics[6] as number;
  if (!Number.isNaN(initDurationMs)) record.initDurationMs = initDurationMs;
  if (!Number.isNaN(restoreDurationMs)) record.restoreDurationMs = restoreDurationMs;
  if (!Number.isNaN(billedRestoreDurationMs)) {
    record.billedRestoreDurationMs = billedRestoreDurationMs;
  }
  if (errorType !== undefined) record.errorType = errorType;
  if (traceValue !== null) readTraceHeader(traceValue, record);
  return record;
}

/**
 * Reads the JSON event whose `{` is at `open`, in a line that ends at `end`
 * (before its CR or LF; `b[end]` must be that line break). Returns the record
 * of a `platform.report` event, or undefined when the general parser must
 * read the line.
 */
export function scanJsonReport(b: Buffer, open: number, end: number): ReportRecord | undefined {
  let sawType = false;
  let record: ReportRecord | undefined;
  let sawRecord = false;
  let expected = 0;
  let p = skipSpace(b, open + 1);
  for (;;) {
    const key = keyAt(b, p, end, EVENT_KEYS, expected);
    if (key < 0) return undefined;
    const v = valueAt;
    let after: number;
    if (key === TYPE) {
      // Any other type, or the same spelled with escapes, is for the general parser.
      if (sawType || !matchAt(b, v, end, QUOTED_PLATFORM_REPORT)) return undefined;
      sawType = true;
      after = v + QUOTED_PLATFORM_REPORT.length;
    } else if (key === RECORD) {
      if (sawRecord) return undefined;
      sawRecord = true;
      record = readBody(b, v, end);
      if (record === undefined) return undefined;
      after = bodyEnd;
    } else {
      after = skipValue(b, v, end, 1);
      if (after < 0) return undefined;
    }
    expected = key + 1;
    p = nextMember(b, after, CLOSE_OBJECT);
    // Nothing may follow the event: JSON.parse would reject it.
    if (p < -1) return sawType && -2 - p === end ? record : undefined;
    if (p < 0) return undefined;
  }
}
