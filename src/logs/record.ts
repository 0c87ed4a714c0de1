import { OUT_OF_MEMORY } from "../lambda.js";

/**
 * One invocation's REPORT record, with the Telemetry API's field names
 * (docs/lambda-facts.md, "REPORT records"), which is also what `parse`
 * prints.
 */
export type InvocationStatus = "success" | "error" | "failure" | "timeout";

export interface ReportRecord {
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMB: number;
  maxMemoryUsedMB: number;
  /** Present on a cold start only. */
  initDurationMs?: number;
  /** SnapStart. */
  restoreDurationMs?: number;
  billedRestoreDurationMs?: number;
  /** `success` when the record names none. */
  status: InvocationStatus;
  /** With status `error`, e.g. `Runtime.OutOfMemory`. */
  errorType?: string;
  xrayTraceId?: string;
  xraySegmentId?: string;
  xraySampled?: boolean;
  /** Fields this parser does not know, kept verbatim (name -> value text). */
  extra?: Record<string, string>;
}

/** Lambda's error type for a sandbox killed for exceeding its memory. */

export function isOutOfMemory(record: ReportRecord): boolean {
  return record.errorType === OUT_OF_MEMORY;
}

export function isColdStart(record: ReportRecord): boolean {
  return record.initDurationMs !== undefined;
}
