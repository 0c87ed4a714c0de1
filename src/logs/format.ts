import type { ReportRecord } from "./record.js";

/** Durations in REPORT lines carry two decimals (docs/lambda-facts.md, "REPORT records"). */
function ms(value: number): string {
  return `${value.toFixed(2)} ms`;
}

/**
 * The REPORT line Lambda writes for a record, tab-separated with a trailing
 * tab. The X-Ray suffix, when the record has one, goes on the next line.
 */
export function formatReportLine(record: ReportRecord): string {
  const fields = [
    `REPORT RequestId: ${record.requestId}`,
    `Duration: ${ms(record.durationMs)}`,
    `Billed Duration: ${Math.round(record.billedDurationMs)} ms`,
    `Memory Size: ${record.memorySizeMB} MB`,
    `Max Memory Used: ${record.maxMemoryUsedMB} MB`,
  ];
  if (record.initDurationMs !== undefined)
    fields.push(`Init Duration: ${ms(record.initDurationMs)}`);
  if (record.restoreDurationMs !== undefined) {
    fields.push(`Restore Duration: ${ms(record.restoreDurationMs)}`);
  }
  if (record.billedRestoreDurationMs !== undefined) {
    fields.push(`Billed Restore Duration: ${Math.round(record.billedRestoreDurationMs)} ms`);
  }
  if (record.status !== "success") fields.push(`Status: ${record.status}`);
  if (record.errorType !== undefined) fields.push(`Error Type: ${record.errorType}`);
  for (const [name, value] of Object.entries(record.extra ?? {})) fields.push(`${name}: ${value}`);
  let line = `${fields.join("\t")}\t`;
  if (record.xrayTraceId !== undefined) {
    const xray = [`XRAY TraceId: ${record.xrayTraceId}`];
    if (record.xraySegmentId !== undefined) xray.push(`SegmentId: ${record.xraySegmentId}`);
    if (record.xraySampled !== undefined) xray.push(`Sampled: ${record.xraySampled}`);
    line += `\n${xray.join("\t")}\t`;
  }
  return line;
}

/** The same record as a JSON-format `platform.report` log event (LogFormat=JSON). */
export function formatPlatformReport(record: ReportRecord, time: string): string {
  const metrics: Record<string, number> = {
    durationMs: record.durationMs,
    billedDurationMs: record.billedDurationMs,
    memorySizeMB: record.memorySizeMB,
    maxMemoryUsedMB: record.maxMemoryUsedMB,
  };
  if (record.initDurationMs !== undefined) metrics.initDurationMs = record.initDurationMs;
  if (record.restoreDurationMs !== undefined) metrics.restoreDurationMs = record.restoreDurationMs;
  if (record.billedRestoreDurationMs !== undefined) {
    metrics.billedRestoreDurationMs = record.billedRestoreDurationMs;
  }
  const body: Record<string, unknown> = {
    requestId: record.requestId,
    metrics,
    status: record.status,
  };
  if (record.errorType !== undefined) body.errorType = record.errorType;
  const traceHeader = formatTraceHeader(record);
  if (traceHeader !== undefined) body.tracing = { type: "X-Amzn-Trace-Id", value: traceHeader };
  return JSON.stringify({ time, type: "platform.report", record: body });
}

/**
 * The Telemetry API's tracing value is an X-Amzn-Trace-Id header
 * (`Root=1-...;Parent=...;Sampled=1`), which keeps segment id and sampling.
 */
function formatTraceHeader(record: ReportRecord): string | undefined {
  if (record.xrayTraceId === undefined) return undefined;
  let header = `Root=${record.xrayTraceId}`;
  if (record.xraySegmentId !== undefined) header += `;Parent=${record.xraySegmentId}`;
  if (record.xraySampled !== undefined) header += `;Sampled=${record.xraySampled ? 1 : 0}`;
  return header;
}
