import type { ReportRecord } from "../../src/logs/record.js";
import type { Pricing } from "../../src/model/pricing.js";

export const US_EAST_1_X86: Pricing = {
  pricePerGbSecondUsd: 0.0000166667,
  pricePerRequestUsd: 0.0000002,
  source: "test",
};

let counter = 0;

/** A successful warm invocation billed at ceil(duration), unless overridden. */
export function record(
  memorySizeMB: number,
  durationMs: number,
  overrides: Partial<ReportRecord> = {},
): ReportRecord {
  counter += 1;
  return {
    requestId: `req-${counter}`,
    durationMs,
    billedDurationMs: Math.ceil(durationMs),
    memorySizeMB,
    maxMemoryUsedMB: 64,
    status: "success",
    ...overrides,
  };
}

/** Successful warm invocations of one size, one per duration. */
export function records(memorySizeMB: number, durations: readonly number[]): ReportRecord[] {
  return durations.map((durationMs) => record(memorySizeMB, durationMs));
}
