import type { Tier } from "../document/result.js";
import type { Pricing } from "./pricing.js";

/** Differences below this many standard errors of the difference count as measurement noise. */
export const NOISE_STANDARD_ERRORS = 2;

/** Costs this close (relative) are equal even with no measured spread, e.g. deterministic runs. */
const EQUAL_COST_RELATIVE = 1e-9;

/**
 * Standard error of a tier's mean cost per invocation. Each invocation costs
 * fee + k*billed with k = price x memory/1024/1000 (docs/lambda-facts.md, "Billing"),
 * so the cost's spread is k times the spread of Billed Duration over all invocations.
 */
export function costStandardError(tier: Tier, pricing: Pricing): number {
  const k = (pricing.pricePerGbSecondUsd * tier.memoryMb) / 1024 / 1000;
  const n = tier.billedDurationMs.count;
  return n > 0 ? (k * tier.billedDurationMs.stdDev) / Math.sqrt(n) : 0;
}

/**
 * Standard error of a tier's median duration, by the large-sample approximation
 * sqrt(pi/2) x sd / sqrt(n) (exact for normal data; rough for skewed tails, but
 * deterministic and cheap).
 */
export function medianStandardError(tier: Tier): number {
  const { stdDev, count } = tier.durationMs;
  return count > 0 ? (Math.sqrt(Math.PI / 2) * stdDev) / Math.sqrt(count) : 0;
}

/** Standard error of the difference of two independent estimates. */
export function differenceStandardError(se1: number, se2: number): number {
  return Math.sqrt(se1 * se1 + se2 * se2);
}

/** Whether two estimates differ by less than the noise of their difference. */
export function withinNoise(value1: number, se1: number, value2: number, se2: number): boolean {
  const difference = Math.abs(value1 - value2);
  if (difference <= EQUAL_COST_RELATIVE * Math.max(Math.abs(value1), Math.abs(value2))) return true;
  return difference < NOISE_STANDARD_ERRORS * differenceStandardError(se1, se2);
}
