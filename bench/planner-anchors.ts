// The two anchors of planner.bench.ts, as the issue describes them, on the
// same replay target and truth as lambda-tune.
import type { ReportRecord } from "../src/logs/record.js";
import { costForDuration, costPerInvocation } from "../src/model/cost.js";
import { curveModel } from "../src/model/curves.js";
import type { Pricing } from "../src/model/pricing.js";
import { nearestSize } from "../src/tune/probe-sizes.js";

/** AWS Lambda Power Tuning's default tiers (docs/lambda-facts.md, "Other tools"). */
export const POWER_TUNING_SIZES = [128, 256, 512, 1024, 1536, 3008];

function trimmedMean(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const cut = Math.floor(sorted.length * share);
  const kept = sorted.slice(cut, sorted.length - cut);
  return kept.reduce((a, b) => a + b, 0) / kept.length;
}

export function powerTuningSizes(available: readonly number[]): number[] {
  return [...new Set(POWER_TUNING_SIZES.map((m) => nearestSize(available, m)))];
}

/** Cheapest measured size by the 20% trimmed mean of the cost per invocation. */
export function powerTuningPick(records: Map<number, ReportRecord[]>, pricing: Pricing): number {
  let best = { memoryMb: 0, cost: Number.POSITIVE_INFINITY };
  for (const [memoryMb, group] of records) {
    const cost = trimmedMean(
      group.map((r) => costPerInvocation(r, pricing)),
      0.2,
    );
    if (cost < best.cost) best = { memoryMb, cost };
  }
  return best.memoryMb;
}

/** Parrotfish's four sizes: smallest, one third, ~1,769 MB (one vCPU), largest. */
export function parrotfishSizes(available: readonly number[]): number[] {
  const largest = available.at(-1)!;
  return [
    ...new Set([available[0]!, largest / 3, 1769, largest].map((m) => nearestSize(available, m))),
  ];
}

/** Fits a0 + a1*exp(-m/a2) to mean durations and minimises the fitted cost over every size. */
export function parrotfishPick(
  records: Map<number, ReportRecord[]>,
  available: readonly number[],
  pricing: Pricing,
): number {
  const model = curveModel("exponential")!;
  const points = [...records].map(([memoryMb, group]) => ({
    memoryMb,
    durationMs: group.reduce((sum, r) => sum + r.durationMs, 0) / group.length,
  }));
  const parameters = model.fit(points);
  const fallback = points.reduce((a, b) =>
    costForDuration(a.memoryMb, a.durationMs, pricing) <=
    costForDuration(b.memoryMb, b.durationMs, pricing)
      ? a
      : b,
  ).memoryMb;
  if (parameters === null) return fallback;
  let best = { memoryMb: fallback, cost: Number.POSITIVE_INFINITY };
  for (const memoryMb of available) {
    const duration = Math.max(0, model.predict(parameters, memoryMb));
    const cost = costForDuration(memoryMb, duration, pricing);
    if (Number.isFinite(cost) && cost < best.cost) best = { memoryMb, cost };
  }
  return best.memoryMb;
}
