import { isColdStart, type ReportRecord } from "../logs/record.js";
import type { Pricing } from "./pricing.js";

/** GB = MB / 1024 (docs/lambda-facts.md, "Billing"). */
const MB_PER_GB = 1024;

/** Cost of one invocation billed for `billedDurationMs` at `memoryMb`, request fee included. */
export function costOfBilledDuration(
  memoryMb: number,
  billedDurationMs: number,
  pricing: Pricing,
): number {
  const gbSeconds = (memoryMb / MB_PER_GB) * (billedDurationMs / 1000);
  return pricing.pricePerGbSecondUsd * gbSeconds + pricing.pricePerRequestUsd;
}

/**
 * Cost of the invocation a REPORT record describes. Billed Duration in the
 * record is the truth, never recomputed (docs/lambda-facts.md, "Billing");
 * on SnapStart it already includes the billed restore time.
 */
export function costPerInvocation(
  record: Pick<ReportRecord, "memorySizeMB" | "billedDurationMs">,
  pricing: Pricing,
): number {
  return costOfBilledDuration(record.memorySizeMB, record.billedDurationMs, pricing);
}

/** Summed cost of some invocations, e.g. what a tuning run spent. */
export function totalCost(
  records: readonly Pick<ReportRecord, "memorySizeMB" | "billedDurationMs">[],
  pricing: Pricing,
): number {
  let sum = 0;
  for (const record of records) sum += costPerInvocation(record, pricing);
  return sum;
}

/**
 * Billed duration of a predicted or simulated duration: rounded up to 1 ms
 * (docs/lambda-facts.md, "Billing", since December 2020), at least 1 ms.
 */
export function billedDurationFor(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs));
}

/** Cost of an invocation lasting `durationMs` (not yet billed), for planners and predictions. */
export function costForDuration(memoryMb: number, durationMs: number, pricing: Pricing): number {
  return costOfBilledDuration(memoryMb, billedDurationFor(durationMs), pricing);
}

/**
 * The steady-state cost of each call at one size: its warm calls'. A size
 * measured only cold has none: a first call's Duration is inflated by one-off
 * work (docs/lambda-facts.md, "First calls"), so it cannot stand for the warm
 * calls production mostly makes.
 */
export function steadyStateCosts(records: readonly ReportRecord[], pricing: Pricing): number[] {
  return records
    .filter((record) => !isColdStart(record))
    .map((record) => costPerInvocation(record, pricing));
}

/**
 * What one cold call costs in production: Duration plus Init Duration billed
 * to the ms, as Lambda bills managed runtimes since August 2025
 * (docs/lambda-facts.md, "Billing"), or Duration alone under the older rule.
 * Computed by rule, so old logs are priced as today's (or the old) rule says.
 */
export function coldCallCost(record: ReportRecord, pricing: Pricing, billInit: boolean): number {
  const initMs = billInit ? (record.initDurationMs ?? 0) : 0;
  return costForDuration(record.memorySizeMB, record.durationMs + initMs, pricing);
}
