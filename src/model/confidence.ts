import type { Recommendation } from "../document/result.js";
import { isColdStart, type ReportRecord } from "../logs/record.js";
import { coldCallCost, costPerInvocation } from "./cost.js";
import { recordsByPayload } from "./mix-stats.js";
import { normalizedWeights, type PayloadMix } from "./payload-mix.js";
import type { Pricing } from "./pricing.js";

export const BOOTSTRAP_ROUNDS = 2000;
export const CONFIDENCE_LEVEL = 0.95;

export interface ConfidenceOptions {
  /** Production's share of cold starts, as recommend() weighed it. */
  coldStartRate?: number;
  billInit?: boolean;
  /** Several payloads: resampled within each, their means weighted (a stratified bootstrap). */
  mix?: PayloadMix;
}

interface Calls {
  /** Warm costs by payload (one group without a mix). */
  warm: number[][];
  cold: number[];
}

/** The costs of the calls at one size, warm (by payload) and cold apart. */
function callsAt(
  records: readonly ReportRecord[],
  memoryMb: number,
  pricing: Pricing,
  billInit: boolean,
  mix: PayloadMix | undefined,
): Calls {
  const atSize = records.filter((record) => record.memorySizeMB === memoryMb);
  const groups = mix === undefined ? [atSize] : recordsByPayload(atSize, mix);
  return {
    warm: groups.map((group) =>
      group.filter((r) => !isColdStart(r)).map((r) => costPerInvocation(r, pricing)),
    ),
    cold: atSize.filter(isColdStart).map((r) => coldCallCost(r, pricing, billInit)),
  };
}

/** The warm mean: each payload's mean weighted by its weight, over the payloads called. */
function warmMean(groups: readonly (readonly number[])[], weights: readonly number[]): number {
  let sum = 0;
  let present = 0;
  groups.forEach((group, i) => {
    if (group.length === 0) return;
    sum += weights[i]! * mean(group);
    present += weights[i]!;
  });
  return sum / present;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function resampled(values: readonly number[], random: () => number): number[] {
  return values.map(() => values[Math.floor(random() * values.length)]!);
}

function quantileSorted(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

/**
 * Adds a bootstrap interval (percentile method over resampled calls of both
 * sizes, warm and cold apart) on how much more the runner-up costs. Only when
 * recommend() found enough calls on both sides (`runnerUp.enoughCalls`: 3
 * warm calls each): fewer give an interval that means nothing ("+6.0% to
 * +6.0% over 1 and 1 calls"). `random` is seeded by the caller, so the same
 * run gives the same interval.
 */
export function withBootstrapConfidence(
  recommendation: Recommendation,
  records: readonly ReportRecord[],
  pricing: Pricing,
  random: () => number,
  options: ConfidenceOptions = {},
  rounds = BOOTSTRAP_ROUNDS,
): Recommendation {
  const { runnerUp } = recommendation;
  const { confidence: _stale, ...rest } = recommendation;
  if (runnerUp === undefined || !runnerUp.enoughCalls) return rest;
  const rate = options.coldStartRate;
  const billInit = options.billInit ?? true;
  const mix = options.mix !== undefined && options.mix.weights.length > 1 ? options.mix : undefined;
  const weights = mix === undefined ? [1] : normalizedWeights(mix);
  const winner = callsAt(records, recommendation.memoryMb, pricing, billInit, mix);
  const other = callsAt(records, runnerUp.memoryMb, pricing, billInit, mix);
  const usable = (calls: Calls) =>
    (rate === 1 || calls.warm.every((group) => group.length > 0)) &&
    (rate === undefined || rate === 0 || calls.cold.length > 0);
  if (!usable(winner) || !usable(other)) return rest;
  const estimate = (warm: readonly (readonly number[])[], cold: readonly number[]) => {
    if (rate === undefined || rate === 0) return warmMean(warm, weights);
    if (rate === 1) return mean(cold);
    return (1 - rate) * warmMean(warm, weights) + rate * mean(cold);
  };
  const redraw = (calls: Calls) =>
    estimate(
      calls.warm.map((group) => resampled(group, random)),
      resampled(calls.cold, random),
    );
  const differences: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const a = redraw(winner);
    const b = redraw(other);
    differences.push(b - a);
  }
  differences.sort((a, b) => a - b);
  const tail = (1 - CONFIDENCE_LEVEL) / 2;
  return {
    ...rest,
    confidence: {
      runnerUpMemoryMb: runnerUp.memoryMb,
      costDifference: estimate(other.warm, other.cold) - estimate(winner.warm, winner.cold),
      interval: [quantileSorted(differences, tail), quantileSorted(differences, 1 - tail)],
      level: CONFIDENCE_LEVEL,
    },
  };
}
