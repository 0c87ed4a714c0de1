import type { Distribution, PayloadBreakdown } from "../document/result.js";
import { isColdStart, isOutOfMemory, type ReportRecord } from "../logs/record.js";
import { costPerInvocation } from "./cost.js";
import { normalizedWeights, type PayloadMix, payloadIndexAt } from "./payload-mix.js";
import type { Pricing } from "./pricing.js";

/**
 * A distribution of values each carrying a weight (a payload mix). The k-th
 * sorted value sits at the middle of its weight, S_k - w_k / 2 (Hazen's rule,
 * R's type 5 when weights are equal), and percentiles interpolate between
 * those positions: a heavy value holds a wide stretch of the distribution.
 */
export function summarizeWeighted(
  values: readonly number[],
  weights: readonly number[],
): Distribution {
  if (values.length === 0) throw new Error("summarizeWeighted needs at least one value");
  const total = weights.reduce((a, b) => a + b, 0);
  const pairs = values
    .map((value, i) => ({ value, weight: weights[i]! / total }))
    .sort((a, b) => a.value - b.value);
  const last = pairs.at(-1)!;
  const positions: number[] = [];
  let cumulative = 0;
  for (const pair of pairs) {
    cumulative += pair.weight;
    positions.push(cumulative - pair.weight / 2);
  }
  const quantile = (q: number) => {
    const upper = positions.findIndex((p) => p >= q);
    if (upper === -1) return last.value;
    if (upper === 0) return pairs[0]!.value;
    const a = positions[upper - 1]!;
    const b = positions[upper]!;
    const t = b > a ? (q - a) / (b - a) : 0;
    return pairs[upper - 1]!.value + t * (pairs[upper]!.value - pairs[upper - 1]!.value);
  };
  const mean = pairs.reduce((sum, p) => sum + p.weight * p.value, 0);
  const variance = pairs.reduce((sum, p) => sum + p.weight * (p.value - mean) ** 2, 0);
  const n = pairs.length;
  return {
    count: n,
    mean,
    median: quantile(0.5),
    p90: quantile(0.9),
    p95: quantile(0.95),
    p99: quantile(0.99),
    max: last.value,
    min: pairs[0]!.value,
    // Reported like a sample's (n - 1); a single value has none.
    stdDev: n > 1 ? Math.sqrt((variance * n) / (n - 1)) : 0,
  };
}

/** One size's warm calls under a payload mix: the weighted figures and each payload's. */
export interface MixedFigures {
  durationMs: Distribution;
  billedDurationMs: Distribution;
  costPerInvocationUsd: number;
  payloads: PayloadBreakdown[];
  /** Payloads without a warm call here (their weight is shared by the others meanwhile). */
  missing: number[];
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Records of one size, in call order, by the payload each call got. */
export function recordsByPayload(
  records: readonly ReportRecord[],
  mix: PayloadMix,
): ReportRecord[][] {
  const groups: ReportRecord[][] = mix.weights.map(() => []);
  records.forEach((record, i) => {
    groups[payloadIndexAt(mix, i)]!.push(record);
  });
  return groups;
}

/**
 * The weighted figures of one size's warm calls (records in call order):
 * each payload's mean cost weighted by its weight, durations as the weighted
 * mixture. Undefined without any warm call.
 */
export function mixedFigures(
  records: readonly ReportRecord[],
  mix: PayloadMix,
  pricing: Pricing,
): MixedFigures | undefined {
  const weights = normalizedWeights(mix);
  const groups = recordsByPayload(records, mix);
  const payloads: PayloadBreakdown[] = [];
  const missing: number[] = [];
  const values: number[] = [];
  const billed: number[] = [];
  const valueWeights: number[] = [];
  let cost = 0;
  let present = 0;
  groups.forEach((group, payload) => {
    const warm = group.filter((r) => !isColdStart(r));
    const costs = warm.map((r) => costPerInvocation(r, pricing));
    // As stats.ts counts failures (that module builds on this one).
    const errors = group.filter((r) => r.status !== "success" || isOutOfMemory(r)).length;
    const weight = weights[payload]!;
    const average = costs.length > 0 ? mean(costs) : null;
    const spread =
      costs.length > 1
        ? Math.sqrt(costs.reduce((s, c) => s + (c - average!) ** 2, 0) / (costs.length - 1))
        : null;
    payloads.push({
      payload,
      weight,
      invocations: group.length,
      warmInvocations: warm.length,
      errors,
      medianDurationMs: warm.length > 0 ? median(warm.map((r) => r.durationMs)) : null,
      costPerInvocationUsd: average,
      costStdDevUsd: spread,
    });
    if (average === null) {
      missing.push(payload);
      return;
    }
    cost += weight * average;
    present += weight;
    for (const record of warm) {
      values.push(record.durationMs);
      billed.push(record.billedDurationMs);
      valueWeights.push(weight / warm.length);
    }
  });
  if (values.length === 0) return undefined;
  return {
    durationMs: summarizeWeighted(values, valueWeights),
    billedDurationMs: summarizeWeighted(billed, valueWeights),
    costPerInvocationUsd: cost / present,
    payloads,
    missing,
  };
}
