import { isColdStart, type ReportRecord } from "../logs/record.js";
import { costForDuration, steadyStateCosts } from "../model/cost.js";
import { recordsByPayload } from "../model/mix-stats.js";
import { NOISE_PRIOR_CALLS } from "../model/noise.js";
import { normalizedWeights, type PayloadMix } from "../model/payload-mix.js";
import type { Pricing } from "../model/pricing.js";
import { isFailure } from "../model/stats.js";
import type { Observations } from "./plan.js";

/** Assumed spread of one invocation's cost (relative) until two calls at some size measure it. */
export const DEFAULT_RELATIVE_NOISE = 0.05;

/** How many calls' worth of weight the pooled spread has against a size's own spread. */
const POOLED_PRIOR_CALLS = 3;

/**
 * Uncertainty (relative) of a cold-only size's guessed warm cost: the
 * first-call factor varies with memory, by up to ~25% between doublings on
 * real Lambda (docs/lambda-facts.md, "First calls").
 */
const GUESS_SPREAD = 0.1;
const GUESS_SPREAD_PER_DOUBLING = 0.15;
/** When no size has both kinds of call yet: only cold is compared with cold. */
const GUESS_SPREAD_UNKNOWN = 0.5;

/** What the planner knows about one measured size. */
export interface SizeEstimate {
  memoryMb: number;
  calls: number;
  warmCalls: number;
  /** A failed call (error, timeout, out of memory) makes the size ineligible, as in recommend(). */
  failed: boolean;
  /**
   * `warm`: from warm calls; `guess`: measured only cold, its warm cost guessed
   * from the first-call factor of sizes with both (guides the search, never decides).
   */
  basis: "warm" | "guess";
  meanCostUsd: number;
  /** Of the mean cost (warm: spread shrunk toward the pooled one; guess: the factor's uncertainty). */
  standardErrorUsd: number;
}

export interface Estimates {
  /** Ascending by memory. */
  sizes: SizeEstimate[];
  /** Spread of one warm call's cost relative to its size's mean, pooled over sizes. */
  relativeNoise: number;
  /** Degrees of freedom behind `relativeNoise` (0: the default was assumed). */
  noiseDegrees: number;
}

/** The relative spread of one call's cost pooled over sizes, with the prior (model/noise.ts). */
function pooledNoise(squares: number, degrees: number): number {
  const prior = NOISE_PRIOR_CALLS * DEFAULT_RELATIVE_NOISE ** 2;
  return Math.sqrt((squares + prior) / (degrees + NOISE_PRIOR_CALLS));
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** First-call Duration over warm Duration at the sizes that have both, ascending by memory. */
function firstCallRatios(observations: Observations): { memoryMb: number; ratio: number }[] {
  const ratios: { memoryMb: number; ratio: number }[] = [];
  for (const [memoryMb, records] of observations) {
    if (records.some(isFailure)) continue;
    const cold = records.filter(isColdStart).map((r) => r.durationMs);
    const warm = records.filter((r) => !isColdStart(r)).map((r) => r.durationMs);
    if (cold.length === 0 || warm.length === 0) continue;
    const ratio = median(cold) / Math.max(median(warm), 1e-3);
    if (Number.isFinite(ratio) && ratio > 0) ratios.push({ memoryMb, ratio });
  }
  return ratios.sort((a, b) => a.memoryMb - b.memoryMb);
}

/**
 * The first-call factor at `memoryMb` and its relative uncertainty: linear in
 * ln(memory) between sizes with both kinds of call, flat beyond them; the
 * further from a size that has both, the less certain.
 */
export function firstCallFactor(
  ratios: readonly { memoryMb: number; ratio: number }[],
  memoryMb: number,
): { factor: number; spread: number } {
  const first = ratios[0];
  const last = ratios.at(-1);
  if (first === undefined || last === undefined) return { factor: 1, spread: GUESS_SPREAD_UNKNOWN };
  const doublings = Math.min(...ratios.map((r) => Math.abs(Math.log2(memoryMb / r.memoryMb))));
  const spread = GUESS_SPREAD + GUESS_SPREAD_PER_DOUBLING * doublings;
  if (memoryMb <= first.memoryMb) return { factor: first.ratio, spread };
  if (memoryMb >= last.memoryMb) return { factor: last.ratio, spread };
  const upper = ratios.findIndex((r) => r.memoryMb >= memoryMb);
  const a = ratios[upper - 1]!;
  const b = ratios[upper]!;
  const t = Math.log(memoryMb / a.memoryMb) / Math.log(b.memoryMb / a.memoryMb);
  return { factor: a.ratio + t * (b.ratio - a.ratio), spread };
}

/** A cold-only size's warm cost as the first-call factor suggests, with its uncertainty. */
function guess(
  memoryMb: number,
  records: readonly ReportRecord[],
  ratios: readonly { memoryMb: number; ratio: number }[],
  pricing: Pricing,
): { cost: number; se: number } {
  const { factor, spread } = firstCallFactor(ratios, memoryMb);
  const durationMs = median(records.map((r) => r.durationMs)) / factor;
  const cost = costForDuration(memoryMb, durationMs, pricing);
  return { cost, se: cost * spread };
}

/**
 * Mean warm cost per size and its standard error. One or two calls say
 * little about their own spread, so each size's variance is shrunk toward the
 * relative variance pooled over all sizes. A size measured only cold gets a
 * guess instead: its cold Duration over the first-call factor of the sizes
 * measured both ways (cold with cold while none is).
 */
export function estimateSizes(
  observations: Observations,
  pricing: Pricing,
  mix?: PayloadMix,
): Estimates {
  if (mix !== undefined && mix.weights.length > 1)
    return estimateMixedSizes(observations, pricing, mix);
  const costsBySize = new Map<number, number[]>();
  let pooledSquares = 0;
  let pooledDegrees = 0;
  for (const [memoryMb, records] of observations) {
    const costs = steadyStateCosts(records, pricing);
    if (costs.length === 0) continue;
    costsBySize.set(memoryMb, costs);
    const average = mean(costs);
    for (const cost of costs) pooledSquares += (cost / average - 1) ** 2;
    pooledDegrees += costs.length - 1;
  }
  const relativeNoise = pooledNoise(pooledSquares, pooledDegrees);
  const ratios = firstCallRatios(observations);

  const sizes: SizeEstimate[] = [];
  for (const [memoryMb, records] of observations) {
    if (records.length === 0) continue;
    const failed = records.some(isFailure);
    const costs = costsBySize.get(memoryMb);
    if (costs === undefined) {
      const { cost, se } = guess(memoryMb, records, ratios, pricing);
      sizes.push({
        memoryMb,
        calls: records.length,
        warmCalls: 0,
        failed,
        basis: "guess",
        meanCostUsd: cost,
        standardErrorUsd: Math.hypot(se, relativeNoise * cost),
      });
      continue;
    }
    const average = mean(costs);
    let squares = 0;
    for (const cost of costs) squares += (cost - average) ** 2;
    const pooledVariance = (relativeNoise * average) ** 2;
    const variance =
      (squares + POOLED_PRIOR_CALLS * pooledVariance) / (costs.length - 1 + POOLED_PRIOR_CALLS);
    sizes.push({
      memoryMb,
      calls: records.length,
      warmCalls: costs.length,
      failed,
      basis: "warm",
      meanCostUsd: average,
      standardErrorUsd: Math.sqrt(variance / costs.length),
    });
  }
  sizes.sort((a, b) => a.memoryMb - b.memoryMb);
  return { sizes, relativeNoise, noiseDegrees: pooledDegrees };
}

/** A size's payloads with their warm costs, when it has any. */
function payloadCosts(
  records: readonly ReportRecord[],
  mix: PayloadMix,
  pricing: Pricing,
): number[][] {
  return recordsByPayload(records, mix).map((group) => steadyStateCosts(group, pricing));
}

/**
 * As estimateSizes, under a payload mix: each payload's mean warm cost
 * weighted by its weight, its variance shrunk toward the relative spread
 * pooled within payloads. A size where some payload has no warm call yet is a
 * guess from the others (it guides, never decides), one measured only cold
 * as without a mix.
 */
function estimateMixedSizes(
  observations: Observations,
  pricing: Pricing,
  mix: PayloadMix,
): Estimates {
  const weights = normalizedWeights(mix);
  let pooledSquares = 0;
  let pooledDegrees = 0;
  const bySize = new Map<number, number[][]>();
  for (const [memoryMb, records] of observations) {
    const groups = payloadCosts(records, mix, pricing);
    bySize.set(memoryMb, groups);
    for (const costs of groups) {
      if (costs.length < 2) continue;
      const average = mean(costs);
      for (const cost of costs) pooledSquares += (cost / average - 1) ** 2;
      pooledDegrees += costs.length - 1;
    }
  }
  const relativeNoise = pooledNoise(pooledSquares, pooledDegrees);
  const ratios = firstCallRatios(observations);
  const sizes: SizeEstimate[] = [];
  for (const [memoryMb, records] of observations) {
    if (records.length === 0) continue;
    const failed = records.some(isFailure);
    const groups = bySize.get(memoryMb)!;
    const warmCalls = groups.reduce((sum, costs) => sum + costs.length, 0);
    if (warmCalls === 0) {
      const { cost, se } = guess(memoryMb, records, ratios, pricing);
      sizes.push({
        memoryMb,
        calls: records.length,
        warmCalls,
        failed,
        basis: "guess",
        meanCostUsd: cost,
        standardErrorUsd: Math.hypot(se, relativeNoise * cost),
      });
      continue;
    }
    let cost = 0;
    let present = 0;
    let variance = 0;
    groups.forEach((costs, payload) => {
      if (costs.length === 0) return;
      const w = weights[payload]!;
      const average = mean(costs);
      let squares = 0;
      for (const c of costs) squares += (c - average) ** 2;
      const own =
        (squares + POOLED_PRIOR_CALLS * (relativeNoise * average) ** 2) /
        (costs.length - 1 + POOLED_PRIOR_CALLS);
      cost += w * average;
      present += w;
      variance += (w * w * own) / costs.length;
    });
    const complete = groups.every((costs) => costs.length > 0);
    const meanCostUsd = cost / present;
    const se = Math.sqrt(variance) / present;
    sizes.push({
      memoryMb,
      calls: records.length,
      warmCalls,
      failed,
      basis: complete ? "warm" : "guess",
      meanCostUsd,
      // Payloads not yet called warm may cost anything: a wide allowance until they are.
      standardErrorUsd: complete ? se : Math.hypot(se, GUESS_SPREAD_UNKNOWN * meanCostUsd),
    });
  }
  sizes.sort((a, b) => a.memoryMb - b.memoryMb);
  return { sizes, relativeNoise, noiseDegrees: pooledDegrees };
}

/** How many standard errors of their difference `a`'s mean cost lies above `b`'s (negative: below). */
export function signedSeparation(a: SizeEstimate, b: SizeEstimate, tolerance = 0): number {
  // With a tolerance: how far `a` x (1 + tolerance) lies above `b`.
  const scale = 1 + tolerance;
  const se = Math.hypot(scale * a.standardErrorUsd, b.standardErrorUsd);
  const difference = scale * a.meanCostUsd - b.meanCostUsd;
  if (se > 0) return difference / se;
  return difference === 0 ? 0 : Math.sign(difference) * Number.POSITIVE_INFINITY;
}

/** How many standard errors of their difference separate two sizes' mean costs. */
export function separation(a: SizeEstimate, b: SizeEstimate): number {
  return Math.abs(signedSeparation(a, b));
}
