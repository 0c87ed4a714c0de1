import type { Tier } from "../document/result.js";
import type { Pricing } from "./pricing.js";

/** Differences below this many standard errors of the difference count as measurement noise. */
export const NOISE_STANDARD_ERRORS = 2;

/** Costs this close (relative) are equal even with no measured spread, e.g. deterministic runs. */
const EQUAL_COST_RELATIVE = 1e-9;

/**
 * Standard error of a tier's mean cost per invocation. Each invocation costs
 * fee + k*billed with k = price x memory/1024/1000 (docs/lambda-facts.md, "Billing"),
 * so the cost's spread is k times the spread of Billed Duration over all invocations;
 * under a payload mix, that of the weighted mean of each payload's mean.
 */
export function costStandardError(tier: Tier, pricing: Pricing): number {
  const payloads = tier.payloads;
  if (payloads !== undefined && payloads.length > 1) {
    // Stratified by payload: each one's mean weighted, so only the spread within each counts.
    let variance = 0;
    for (const p of payloads) {
      if (p.warmInvocations === 0) continue;
      variance += (p.weight * (p.costStdDevUsd ?? 0)) ** 2 / p.warmInvocations;
    }
    return Math.sqrt(variance);
  }
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

/** Assumed spread of one call's cost (relative) until two warm calls at some size measure it. */
export const DEFAULT_RELATIVE_COST_NOISE = 0.05;
/**
 * Calls' worth of DEFAULT_RELATIVE_COST_NOISE in the pooled spread: calls
 * taken back to back agree more closely than the same size measured at
 * another moment (on a shared host the load moves between visits), so two or
 * three tight calls must not claim a spread of a fraction of a percent.
 */
export const NOISE_PRIOR_CALLS = 3;
/** How many calls' worth of weight the pooled spread has against a size's own. */
const POOLED_PRIOR_CALLS = 3;

/**
 * Standard errors of the tiers' mean warm costs, each size's spread shrunk
 * toward the relative spread pooled over all sizes: one or two calls say
 * little about their own spread (a single call would claim none).
 */
export function pooledCostErrors(tiers: readonly Tier[], pricing: Pricing): (tier: Tier) => number {
  const relativeSpread = (tier: Tier) =>
    (costStandardError(tier, pricing) * Math.sqrt(tier.billedDurationMs.count)) /
    tier.costPerInvocationUsd;
  let squares = 0;
  let degrees = 0;
  for (const tier of tiers) {
    const n = tier.billedDurationMs.count;
    if (tier.warmInvocations < 2 || n < 2 || !(tier.costPerInvocationUsd > 0)) continue;
    squares += (n - 1) * relativeSpread(tier) ** 2;
    degrees += n - 1;
  }
  const pooled = Math.sqrt(
    (squares + NOISE_PRIOR_CALLS * DEFAULT_RELATIVE_COST_NOISE ** 2) /
      (degrees + NOISE_PRIOR_CALLS),
  );
  return (tier) => {
    const n = Math.max(1, tier.billedDurationMs.count);
    const own = n > 1 ? relativeSpread(tier) : 0;
    const variance =
      ((n - 1) * own ** 2 + POOLED_PRIOR_CALLS * pooled ** 2) / (n - 1 + POOLED_PRIOR_CALLS);
    return (tier.costPerInvocationUsd * Math.sqrt(variance)) / Math.sqrt(n);
  };
}
