import {
  COMPARISON_VERSION,
  type Comparison,
  type RecommendationChange,
  type RecommendedSize,
  type SizeChange,
} from "../document/comparison.js";
import type { Recommendation, ResultDocument, Tier } from "../document/result.js";
import {
  COMPARISON_LEVEL,
  changeBetween,
  costEstimate,
  medianEstimate,
  p95Estimate,
} from "./change.js";
import { recommendationSummary } from "./change-words.js";
import { regressionGate } from "./gate.js";

export interface CompareOptions {
  /** `--fail-on-regression`: the regression allowed beyond noise, as a fraction; no gate when absent. */
  threshold?: number;
  /** `--allow-inconclusive`: the gate passes when nothing could be compared. */
  allowInconclusive?: boolean;
}

/**
 * Compares a result with a baseline result of the same function: per size
 * measured in both, the change in median and p95 duration and in cost per
 * invocation with a Welch interval from the documents' summaries; whether the
 * recommendation moved; and, with a threshold, the regression gate.
 */
export function compareResults(
  baseline: ResultDocument,
  current: ResultDocument,
  options: CompareOptions = {},
): Comparison {
  const baseTiers = byMemory(baseline.tiers);
  const currentTiers = byMemory(current.tiers);
  const sizes: SizeChange[] = [];
  for (const [memoryMb, now] of currentTiers) {
    const before = baseTiers.get(memoryMb);
    if (before !== undefined) sizes.push(sizeChange(baseline, before, current, now));
  }
  const recommendation = recommendationChange(baseline, current);
  return {
    comparisonVersion: COMPARISON_VERSION,
    function: current.function,
    baseline: describe(baseline),
    current: describe(current),
    level: COMPARISON_LEVEL,
    sizes,
    onlyInBaseline: [...baseTiers.keys()].filter((m) => !currentTiers.has(m)),
    onlyInCurrent: [...currentTiers.keys()].filter((m) => !baseTiers.has(m)),
    recommendation,
    gate:
      options.threshold === undefined
        ? null
        : regressionGate(baseline, current, sizes, recommendation, {
            threshold: options.threshold,
            allowInconclusive: options.allowInconclusive ?? false,
          }),
    warnings: comparabilityWarnings(baseline, current),
  };
}

function byMemory(tiers: readonly Tier[]): Map<number, Tier> {
  return new Map([...tiers].sort((a, b) => a.memoryMb - b.memoryMb).map((t) => [t.memoryMb, t]));
}

function describe(doc: ResultDocument): Comparison["baseline"] {
  return { function: doc.function, generatedAt: doc.generatedAt, seed: doc.plan.seed };
}

function sizeChange(
  baseline: ResultDocument,
  before: Tier,
  current: ResultDocument,
  now: Tier,
): SizeChange {
  return {
    memoryMb: now.memoryMb,
    medianMs: changeBetween(medianEstimate(before), medianEstimate(now)),
    p95Ms: changeBetween(p95Estimate(before), p95Estimate(now)),
    costPerInvocationUsd: changeBetween(
      costEstimate(before, baseline.pricing),
      costEstimate(now, current.pricing),
    ),
    excluded: { baseline: before.excluded ?? null, current: now.excluded ?? null },
  };
}

function recommended(rec: Recommendation | null): RecommendedSize | null {
  if (rec === null) return null;
  return {
    memoryMb: rec.memoryMb,
    timeoutSeconds: rec.timeoutSeconds,
    expectedDurationMs: rec.expectedDurationMs,
    expectedCostPerInvocationUsd: rec.expectedCostPerInvocationUsd,
  };
}

function recommendationChange(
  baseline: ResultDocument,
  current: ResultDocument,
): RecommendationChange {
  const before = recommended(baseline.recommendation);
  const now = recommended(current.recommendation);
  const moved = before?.memoryMb !== now?.memoryMb;
  const timeoutChanged =
    before !== null && now !== null && before.timeoutSeconds !== now.timeoutSeconds;
  const cost =
    moved && before !== null && now !== null ? movedCost(baseline, current, before, now) : null;
  const change = { baseline: before, current: now, moved, timeoutChanged, cost };
  return { ...change, summary: recommendationSummary(change, current) };
}

/** Cost at the old recommended size against the new, from this run when it measured both. */
function movedCost(
  baseline: ResultDocument,
  current: ResultDocument,
  before: RecommendedSize,
  now: RecommendedSize,
): RecommendationChange["cost"] {
  const newTier = current.tiers.find((t) => t.memoryMb === now.memoryMb);
  if (newTier === undefined) return null;
  const oldHere = current.tiers.find((t) => t.memoryMb === before.memoryMb);
  const [oldTier, oldPricing, basis] =
    oldHere !== undefined
      ? [oldHere, current.pricing, "this run" as const]
      : [
          baseline.tiers.find((t) => t.memoryMb === before.memoryMb),
          baseline.pricing,
          "across runs" as const,
        ];
  if (oldTier === undefined) return null;
  const change = changeBetween(
    costEstimate(oldTier, oldPricing),
    costEstimate(newTier, current.pricing),
  );
  return { ...change, basis };
}

function comparabilityWarnings(baseline: ResultDocument, current: ResultDocument): string[] {
  const warnings: string[] = [];
  if (baseline.function !== current.function) {
    warnings.push(
      `the baseline is for ${baseline.function}, this result for ${current.function}; compared anyway`,
    );
  }
  const differs = (label: string, a: unknown, b: unknown) => {
    if (a !== b) warnings.push(`${label} differs: baseline ${String(a)}, now ${String(b)}`);
  };
  differs("target", baseline.target, current.target);
  differs("architecture", baseline.architecture, current.architecture);
  differs("region", baseline.region, current.region);
  differs(
    "price per GB-second",
    baseline.pricing.pricePerGbSecondUsd,
    current.pricing.pricePerGbSecondUsd,
  );
  const bStrategy = baseline.recommendation?.strategy;
  const cStrategy = current.recommendation?.strategy;
  if (bStrategy !== undefined && cStrategy !== undefined) differs("strategy", bStrategy, cStrategy);
  return warnings;
}
