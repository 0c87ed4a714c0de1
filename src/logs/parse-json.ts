import type { LineParse } from "./parse-text.js";
import type { InvocationStatus, ReportRecord } from "./record.js";

const STATUSES: ReadonlySet<string> = new Set(["success", "error", "failure", "timeout"]);
const KNOWN_METRICS: ReadonlySet<string> = new Set([
  "durationMs",
  "billedDurationMs",
  "memorySizeMB",
  "maxMemoryUsedMB",
  "initDurationMs",
  "restoreDurationMs",
  "billedRestoreDurationMs",
]);

/** A `"type":"platform.report"` member, with any spacing JSON allows. */
const REPORT_TYPE = /"type"\s*:\s*"platform\.report"/;

/**
 * Index of the `{` that opens a JSON log event mentioning `platform.report`
 * (a CloudWatch timestamp may precede it), or -1.
 */
export function findJsonReport(line: string): number {
  const mention = line.indexOf("platform.report");
  if (mention < 0) return -1;
  const open = line.indexOf("{");
  return open >= 0 && open < mention ? open : -1;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads a JSON-format `platform.report` event (function LogFormat=JSON, the
 * Telemetry API shape; docs/lambda-facts.md, "REPORT records") starting at
 * `start`. Returns undefined for JSON that is some other event, e.g. an app log
 * quoting the word.
 */
export function parseJsonReport(line: string, start: number): LineParse | undefined {
  let event: unknown;
  try {
    event = JSON.parse(start === 0 ? line : line.slice(start));
  } catch {
    if (!REPORT_TYPE.test(line)) return undefined;
    return { ok: false, reason: "platform.report event is not valid JSON" };
  }
  if (!isObject(event) || event.type !== "platform.report") return undefined;
  const body = event.record;
  if (!isObject(body)) return { ok: false, reason: "platform.report has no record object" };
  return readReportBody(body);
}

function readReportBody(body: Record<string, unknown>): LineParse {
  const requestId = body.requestId;
  if (typeof requestId !== "string" || requestId === "") {
    return { ok: false, reason: "platform.report has no requestId" };
  }
  const metrics = body.metrics;
  if (!isObject(metrics)) return { ok: false, reason: "platform.report has no metrics object" };
  const durationMs = metrics.durationMs;
  const billedDurationMs = metrics.billedDurationMs;
  const memorySizeMB = metrics.memorySizeMB;
  const maxMemoryUsedMB = metrics.maxMemoryUsedMB;
  if (typeof durationMs !== "number") return missing("durationMs", durationMs);
  if (typeof billedDurationMs !== "number") return missing("billedDurationMs", billedDurationMs);
  if (typeof memorySizeMB !== "number") return missing("memorySizeMB", memorySizeMB);
  if (typeof maxMemoryUsedMB !== "number") return missing("maxMemoryUsedMB", maxMemoryUsedMB);
  // Status absent means success (docs/lambda-facts.md, "REPORT records").
  const status = body.status ?? "success";
  if (typeof status !== "string" || !STATUSES.has(status)) {
    return {
      ok: false,
      reason: `unknown status ${JSON.stringify(status)} (expected success, error, failure or timeout)`,
    };
  }
  const record: ReportRecord = {
    requestId,
    durationMs,
    billedDurationMs,
    memorySizeMB,
    maxMemoryUsedMB,
    status: status as InvocationStatus,
  };
  // initDurationMs is absent on warm starts; requiring it is a known bug elsewhere.
  for (const name of ["initDurationMs", "restoreDurationMs", "billedRestoreDurationMs"] as const) {
    const value = metrics[name];
    if (value === undefined) continue;
    if (typeof value !== "number") return missing(name, value);
    record[name] = value;
  }
  if (body.errorType !== undefined) {
    if (typeof body.errorType !== "string")
      return { ok: false, reason: "errorType is not a string" };
    record.errorType = body.errorType;
  }
  if (isObject(body.tracing) && typeof body.tracing.value === "string") {
    readTraceHeader(body.tracing.value, record);
  }
  for (const name in metrics) {
    if (KNOWN_METRICS.has(name)) continue;
    record.extra ??= {};
    record.extra[name] = String(metrics[name]);
  }
  return { ok: true, record };
}

function missing(name: string, value: unknown): LineParse {
  const reason =
    value === undefined
      ? `missing metrics.${name}`
      : `metrics.${name} is not a number: ${JSON.stringify(value)}`;
  return { ok: false, reason };
}

/**
 * The Telemetry API's tracing value is an X-Amzn-Trace-Id header
 * (`Root=1-...;Parent=...;Sampled=1`); a bare trace id is taken as is.
 */
export function readTraceHeader(value: string, record: ReportRecord): void {
  if (!value.startsWith("Root=")) {
    record.xrayTraceId = value;
    return;
  }
  for (const part of value.split(";")) {
    const eq = part.indexOf("=");
    const key = part.slice(0, eq);
    const text = part.slice(eq + 1);
    if (key === "Root") record.xrayTraceId = text;
    else if (key === "Parent") record.xraySegmentId = text;
    else if (key === "Sampled" && (text === "1" || text === "0")) record.xraySampled = text === "1";
  }
}
