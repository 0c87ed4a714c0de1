import { steadyStateCosts } from "../model/cost.js";
import type { Pricing } from "../model/pricing.js";
import { isFailure } from "../model/stats.js";
import type { Observations } from "./plan.js";

/** Assumed spread of one invocation's cost (relative) until two calls at some size measure it. */
export const DEFAULT_RELATIVE_NOISE = 0.05;

/** How many calls' worth of weight the pooled spread has against a size's own spread. */
const POOLED_PRIOR_CALLS = 3;

/** What the planner knows about one measured size. */
export interface SizeEstimate {
  memoryMb: number;
  calls: number;
  /** A failed call (error, timeout, out of memory) makes the size ineligible, as in recommend(). */
  failed: boolean;
  meanCostUsd: number;
  /** Of the mean cost, with the spread shrunk toward the one pooled over all sizes. */
  standardErrorUsd: number;
}

export interface Estimates {
  /** Ascending by memory. */
  sizes: SizeEstimate[];
  /** Spread of one call's cost relative to its size's mean, pooled over sizes. */
  relativeNoise: number;
  /** Degrees of freedom behind `relativeNoise` (0: the default was assumed). */
  noiseDegrees: number;
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/**
 * Mean cost per size and its standard error. One or two calls say little
 * about their own spread, so each size's variance is shrunk toward the
 * relative variance pooled over all sizes.
 */
export function estimateSizes(observations: Observations, pricing: Pricing): Estimates {
  const costsBySize = new Map<number, number[]>();
  let pooledSquares = 0;
  let pooledDegrees = 0;
  for (const [memoryMb, records] of observations) {
    if (records.length === 0) continue;
    const costs = steadyStateCosts(records, pricing);
    costsBySize.set(memoryMb, costs);
    const average = mean(costs);
    for (const cost of costs) pooledSquares += (cost / average - 1) ** 2;
    pooledDegrees += costs.length - 1;
  }
  const relativeNoise =
    pooledDegrees > 0 ? Math.sqrt(pooledSquares / pooledDegrees) : DEFAULT_RELATIVE_NOISE;

  const sizes: SizeEstimate[] = [];
  for (const [memoryMb, costs] of costsBySize) {
    const records = observations.get(memoryMb) ?? [];
    const average = mean(costs);
    let squares = 0;
    for (const cost of costs) squares += (cost - average) ** 2;
    const pooledVariance = (relativeNoise * average) ** 2;
    const variance =
      (squares + POOLED_PRIOR_CALLS * pooledVariance) / (costs.length - 1 + POOLED_PRIOR_CALLS);
    sizes.push({
      memoryMb,
      calls: records.length,
      failed: records.some(isFailure),
      meanCostUsd: average,
      standardErrorUsd: Math.sqrt(variance / costs.length),
    });
  }
  sizes.sort((a, b) => a.memoryMb - b.memoryMb);
  return { sizes, relativeNoise, noiseDegrees: pooledDegrees };
}

/** How many standard errors of their difference `a`'s mean cost lies above `b`'s (negative: below). */
export function signedSeparation(a: SizeEstimate, b: SizeEstimate): number {
  const se = Math.hypot(a.standardErrorUsd, b.standardErrorUsd);
  const difference = a.meanCostUsd - b.meanCostUsd;
  if (se > 0) return difference / se;
  return difference === 0 ? 0 : Math.sign(difference) * Number.POSITIVE_INFINITY;
}

/** How many standard errors of their difference separate two sizes' mean costs. */
export function separation(a: SizeEstimate, b: SizeEstimate): number {
  return Math.abs(signedSeparation(a, b));
}
