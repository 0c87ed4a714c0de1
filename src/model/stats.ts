import { max, mean, quantileSorted, sampleStandardDeviation } from "simple-statistics";
import type { Distribution, Tier } from "../document/result.js";
import { formatPercent } from "../format.js";
import { isColdStart, isOutOfMemory, type ReportRecord } from "../logs/record.js";
import { billedDurationFor, coldCallCost, costForDuration, steadyStateCosts } from "./cost.js";
import { mixedFigures } from "./mix-stats.js";
import type { PayloadMix } from "./payload-mix.js";
import type { Pricing } from "./pricing.js";

/** Max Memory Used above this share of the memory size earns a headroom warning. */
export const HEADROOM_WARNING_FRACTION = 0.9;

/** Summary of a non-empty sample; percentiles interpolate linearly (R type 7, numpy default). */
export function summarize(values: readonly number[]): Distribution {
  if (values.length === 0) throw new Error("summarize needs at least one value");
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    mean: mean(sorted),
    median: quantileSorted(sorted, 0.5),
    p90: quantileSorted(sorted, 0.9),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    max: sorted[sorted.length - 1]!,
    min: sorted[0]!,
    // Sample standard deviation (n - 1); a single value has none, reported as 0.
    stdDev: sorted.length > 1 ? sampleStandardDeviation(sorted) : 0,
  };
}

/** Records grouped by Memory Size, in ascending order of size. */
export function groupBySize(records: readonly ReportRecord[]): Map<number, ReportRecord[]> {
  const groups = new Map<number, ReportRecord[]>();
  for (const record of records) {
    const group = groups.get(record.memorySizeMB);
    if (group === undefined) groups.set(record.memorySizeMB, [record]);
    else group.push(record);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => a - b));
}

export function isFailure(record: ReportRecord): boolean {
  return record.status !== "success" || isOutOfMemory(record);
}

/**
 * Why a size measured only cold has no steady-state cost: a first call's
 * Duration is inflated by one-off work (docs/lambda-facts.md, "First calls").
 */
export function coldOnlyExclusion(tier: Tier): string | undefined {
  if (tier.warmInvocations > 0 || tier.coldStarts === 0) return undefined;
  const calls = tier.coldStarts === 1 ? "1 cold call" : `${tier.coldStarts} cold calls`;
  return (
    `${calls} and no warm call: a first call's Duration includes one-off work, ` +
    "so it gives no steady-state cost; a second call would"
  );
}

/** Why a tier must not be recommended because of failed invocations, or undefined. */
export function failureExclusion(tier: Tier): string | undefined {
  if (tier.errors === 0 && tier.timeouts === 0 && tier.outOfMemory === 0) return undefined;
  const kinds: string[] = [];
  if (tier.timeouts > 0) kinds.push(`${tier.timeouts} timed out`);
  if (tier.outOfMemory > 0) kinds.push(`${tier.outOfMemory} out of memory`);
  const other = tier.errors - tier.timeouts - tier.outOfMemory;
  if (other > 0) kinds.push(`${other} other error${other === 1 ? "" : "s"}`);
  return `${tier.errors} of ${tier.invocations} invocations failed (${kinds.join(", ")})`;
}

function headroomWarning(memoryMb: number, maxMemoryUsedMb: number): string | undefined {
  if (maxMemoryUsedMb <= HEADROOM_WARNING_FRACTION * memoryMb) return undefined;
  return (
    `${memoryMb} MB: Max Memory Used ${maxMemoryUsedMb} MB is over ` +
    `${formatPercent(HEADROOM_WARNING_FRACTION)} of the memory size; a larger input may run out of memory`
  );
}

export interface TierOptions {
  /** Bill a cold call's Init Duration (Lambda since August 2025); false for the older rule. */
  billInit?: boolean;
  /** Several payloads: a size's k-th record had the mix's k-th payload (model/payload-mix.ts). */
  mix?: PayloadMix;
}

/**
 * Why a size cannot be compared while some payload of the mix has no warm
 * call there (`labels` name the payloads), or undefined.
 */
export function incompleteMixExclusion(
  tier: Tier,
  labels: readonly string[] = [],
): string | undefined {
  if (tier.warmInvocations === 0) return undefined;
  const missing = (tier.payloads ?? []).filter((p) => p.warmInvocations === 0);
  if (missing.length === 0) return undefined;
  const names = missing.map((p) => labels[p.payload] ?? `#${p.payload + 1}`);
  const which = names.length === 1 ? `payload ${names[0]}` : `payloads ${names.join(", ")}`;
  return `no warm call of ${which} here: the mix is incomplete, so its cost is not comparable`;
}

/** The tier of one memory size from its (non-empty) records. */
export function buildTier(
  memoryMb: number,
  records: readonly ReportRecord[],
  pricing: Pricing,
  options: TierOptions = {},
): Tier {
  if (records.length === 0) throw new Error(`no records for ${memoryMb} MB`);
  const cold = records.filter(isColdStart);
  const warm = records.filter((record) => !isColdStart(record));
  const failures = records.filter(isFailure);
  const errorTypes: Record<string, number> = {};
  for (const record of failures) {
    // Timeouts carry no Error Type in REPORT lines; key those by their status.
    const key = record.errorType ?? record.status;
    errorTypes[key] = (errorTypes[key] ?? 0) + 1;
  }
  const maxMemoryUsedMb = max(records.map((record) => record.maxMemoryUsedMB));
  // Steady state: a sweep's cold-start share says nothing about production's, so the
  // cost and billed duration that decide are the warm invocations' (cold starts shown apart).
  const steady = warm.length > 0 ? warm : records;
  const coldOnly = warm.length === 0 && cold.length > 0;
  // Without warm calls the figure is the cold calls' Duration billed to the ms: shown, never compared.
  const costPerInvocationUsd = coldOnly
    ? mean(records.map((r) => pricingOf(r, pricing)))
    : mean(steadyStateCosts(records, pricing));
  const billInit = options.billInit ?? true;
  const coldCosts = cold.map((record) => coldCallCost(record, pricing, billInit));
  const tier: Tier = {
    memoryMb,
    invocations: records.length,
    warmInvocations: warm.length,
    coldStarts: cold.length,
    errors: failures.length,
    timeouts: records.filter((record) => record.status === "timeout").length,
    outOfMemory: records.filter(isOutOfMemory).length,
    errorTypes,
    durationMs: summarize(steady.map((record) => record.durationMs)),
    billedDurationMs: summarize(
      steady.map((record) =>
        coldOnly ? billedDurationFor(record.durationMs) : record.billedDurationMs,
      ),
    ),
    initDurationMs:
      cold.length > 0 ? summarize(cold.map((record) => record.initDurationMs ?? 0)) : null,
    coldDurationMs: cold.length > 0 ? summarize(cold.map((record) => record.durationMs)) : null,
    maxMemoryUsedMb,
    costPerInvocationUsd,
    costPerMillionUsd: costPerInvocationUsd * 1_000_000,
    coldCostPerInvocationUsd: coldCosts.length > 0 ? mean(coldCosts) : null,
    warnings: [],
  };
  const mix = options.mix;
  if (mix !== undefined && mix.weights.length > 1 && !coldOnly) {
    const figures = mixedFigures(records, mix, pricing);
    if (figures !== undefined) {
      tier.durationMs = figures.durationMs;
      tier.billedDurationMs = figures.billedDurationMs;
      tier.costPerInvocationUsd = figures.costPerInvocationUsd;
      tier.costPerMillionUsd = figures.costPerInvocationUsd * 1_000_000;
      tier.payloads = figures.payloads;
    }
  }
  const excluded =
    failureExclusion(tier) ?? coldOnlyExclusion(tier) ?? incompleteMixExclusion(tier, mix?.labels);
  if (excluded !== undefined) tier.excluded = excluded;
  const headroom = headroomWarning(memoryMb, maxMemoryUsedMb);
  if (headroom !== undefined) tier.warnings.push(headroom);
  return tier;
}

function pricingOf(record: ReportRecord, pricing: Pricing): number {
  return costForDuration(record.memorySizeMB, record.durationMs, pricing);
}

/** One tier per memory size seen in the records, sorted by memory. */
export function buildTiers(
  records: readonly ReportRecord[],
  pricing: Pricing,
  options: TierOptions = {},
): Tier[] {
  return [...groupBySize(records)].map(([memoryMb, group]) =>
    buildTier(memoryMb, group, pricing, options),
  );
}
