import type { ReportRecord } from "./record.js";

/**
 * A record as `parse` prints it: the Telemetry API names in a fixed order
 * (DESIGN.md, command line), optional fields only when present.
 */
export function recordToJson(record: ReportRecord): string {
  const out: Record<string, unknown> = {
    requestId: record.requestId,
    durationMs: record.durationMs,
    billedDurationMs: record.billedDurationMs,
    memorySizeMB: record.memorySizeMB,
    maxMemoryUsedMB: record.maxMemoryUsedMB,
  };
  if (record.initDurationMs !== undefined) out.initDurationMs = record.initDurationMs;
  if (record.restoreDurationMs !== undefined) out.restoreDurationMs = record.restoreDurationMs;
  if (record.billedRestoreDurationMs !== undefined) {
    out.billedRestoreDurationMs = record.billedRestoreDurationMs;
  }
  out.status = record.status;
  if (record.errorType !== undefined) out.errorType = record.errorType;
  if (record.xrayTraceId !== undefined) out.xrayTraceId = record.xrayTraceId;
  if (record.xraySegmentId !== undefined) out.xraySegmentId = record.xraySegmentId;
  if (record.xraySampled !== undefined) out.xraySampled = record.xraySampled;
  if (record.extra !== undefined) out.extra = record.extra;
  return JSON.stringify(out);
}
