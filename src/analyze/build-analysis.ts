import {
  ANALYSIS_SCHEMA_VERSION,
  type AnalysisDocument,
  type AnalysisSource,
  type MemoryHeadroom,
  type MonthlyCost,
  type SizeAnalysis,
} from "../document/analysis.js";
import type { Architecture, Tier } from "../document/result.js";
import { formatPercent } from "../format.js";
import { isOutOfMemory, type ReportRecord } from "../logs/record.js";
import { costOfBilledDuration } from "../model/cost.js";
import { HISTOGRAM_RELATIVE_ERROR } from "../model/log-histogram.js";
import type { Pricing } from "../model/pricing.js";
import type { LogAccumulator, SizeAccumulator } from "../model/size-accumulator.js";
import { recommendTimeout } from "../model/timeout.js";
import { buildResult } from "../tune/tune.js";

/** p99 of Max Memory Used above this share of the size: at risk of running out of memory. */
export const UNDER_PROVISIONED_FRACTION = 0.9;
/** Below this share: more memory than the function uses. */
export const OVER_PROVISIONED_FRACTION = 0.3;
/** A smaller size is suggested so that p99 of Max Memory Used stays under this share of it. */
const SUGGESTED_FRACTION = 0.7;
const SECONDS_PER_MONTH = 30 * 24 * 3600;

export interface AnalysisOptions {
  functionName: string | null;
  source: AnalysisSource;
  /** The time the records cover, epoch ms; null when unknown (no monthly cost then). */
  window: { startMs: number | null; endMs: number | null; seconds: number } | null;
  architecture: Architecture;
  region: string;
  pricing: Pricing;
  seed: number;
  samplePerSize: number;
  toolVersion: string;
  now: () => Date;
}

export function memoryHeadroom(size: SizeAccumulator): MemoryHeadroom {
  const p99UsedMb = size.memoryUsedQuantile(0.99);
  const fraction = p99UsedMb / size.memoryMb;
  const base = {
    medianUsedMb: size.memoryUsedQuantile(0.5),
    p99UsedMb,
    maxUsedMb: size.memoryUsedQuantile(1),
    p99UsedFraction: fraction,
  };
  const used = `p99 of Max Memory Used is ${p99UsedMb} MB, ${formatPercent(fraction)} of ${size.memoryMb} MB`;
  if (size.outOfMemory > 0 || fraction > UNDER_PROVISIONED_FRACTION) {
    const oom =
      size.outOfMemory > 0
        ? `; ${size.outOfMemory} invocation${size.outOfMemory === 1 ? "" : "s"} ran out of memory`
        : ` (over ${formatPercent(UNDER_PROVISIONED_FRACTION)})`;
    return {
      ...base,
      verdict: "under-provisioned",
      advice: `${used}${oom}: a larger input may run out of memory; give it more memory (more memory also brings more CPU: measure with lambda-tune run)`,
    };
  }
  if (fraction < OVER_PROVISIONED_FRACTION) {
    const smaller = Math.max(128, Math.ceil(p99UsedMb / SUGGESTED_FRACTION / 64) * 64);
    const by =
      smaller < size.memoryMb
        ? `by memory alone ${smaller} MB would do (p99 under ${formatPercent(SUGGESTED_FRACTION)} of it)`
        : "memory alone would allow a smaller size";
    return {
      ...base,
      verdict: "over-provisioned",
      // CPU share follows memory: 1,769 MB is one vCPU (docs/lambda-facts.md, "Memory and CPU").
      advice: `${used} (under ${formatPercent(OVER_PROVISIONED_FRACTION)}): ${by}, but CPU scales with memory (1,769 MB is one vCPU), so a smaller size may run slower and cost as much or more unless the function waits on I/O; measure with lambda-tune run --memory ${smaller < size.memoryMb ? `${smaller},` : ""}${size.memoryMb}`,
    };
  }
  return { ...base, verdict: "adequate", advice: `${used}: room to spare, no risk seen` };
}

/** A Tier from the sketches, for recommendTimeout (which reads durations and init only). */
function sketchTier(size: SizeAccumulator, pricing: Pricing): Tier {
  const warm = size.warmDurations.count > 0;
  const durations = (warm ? size.warmDurations : size.coldDurations).summary();
  const cost = meanCost(size, pricing);
  return {
    memoryMb: size.memoryMb,
    invocations: size.invocations,
    warmInvocations: size.warmDurations.count,
    coldStarts: size.coldStarts,
    errors: size.errors,
    timeouts: size.timeouts,
    outOfMemory: size.outOfMemory,
    errorTypes: Object.fromEntries(size.errorTypes),
    durationMs: durations,
    billedDurationMs: durations,
    initDurationMs: size.initDurations.count > 0 ? size.initDurations.summary() : null,
    maxMemoryUsedMb: size.memoryUsedQuantile(1),
    costPerInvocationUsd: cost,
    costPerMillionUsd: cost * 1e6,
    warnings: [],
  };
}

function meanCost(size: SizeAccumulator, pricing: Pricing): number {
  return costOfBilledDuration(size.memoryMb, size.billedSumMs / size.invocations, pricing);
}

function sizeAnalysis(size: SizeAccumulator, tier: Tier, allTiers: Tier[], pricing: Pricing) {
  const cost = meanCost(size, pricing);
  const analysis: SizeAnalysis = {
    memoryMb: size.memoryMb,
    invocations: size.invocations,
    warmInvocations: size.warmDurations.count,
    coldStarts: size.coldStarts,
    coldStartRate: size.coldStarts / size.invocations,
    errors: size.errors,
    timeouts: size.timeouts,
    outOfMemory: size.outOfMemory,
    errorTypes: Object.fromEntries([...size.errorTypes].sort(([a], [b]) => (a < b ? -1 : 1))),
    durationMs: tier.durationMs,
    durationBasis: size.warmDurations.count > 0 ? "warm" : "all",
    initDurationMs: tier.initDurationMs,
    meanBilledDurationMs: size.billedSumMs / size.invocations,
    memory: memoryHeadroom(size),
    costPerInvocationUsd: cost,
    costPerMillionUsd: cost * 1e6,
    timeout: recommendTimeout(tier, allTiers),
  };
  return analysis;
}

function monthlyCost(
  sizes: readonly SizeAccumulator[],
  windowSeconds: number,
  pricing: Pricing,
): MonthlyCost {
  let invocations = 0;
  let total = 0;
  for (const size of sizes) {
    invocations += size.invocations;
    total += meanCost(size, pricing) * size.invocations;
  }
  const rate = invocations / windowSeconds;
  const mean = invocations > 0 ? total / invocations : 0;
  return {
    windowSeconds,
    invocations,
    invocationsPerSecond: rate,
    invocationsPerMonth: rate * SECONDS_PER_MONTH,
    meanCostPerInvocationUsd: mean,
    usd: rate * SECONDS_PER_MONTH * mean,
  };
}

/**
 * Records fed to `run`'s model: the sample of each size, without errors of the
 * handler's own (an exception says nothing about the memory size), while
 * timeouts and out-of-memory stay and exclude their size as in `run`.
 */
function curveRecords(sizes: readonly SizeAccumulator[]): ReportRecord[] {
  return sizes.flatMap((size) =>
    size.sample.items.filter(
      (r) => r.status === "success" || r.status === "timeout" || isOutOfMemory(r),
    ),
  );
}

/** The analysis document from what the accumulator kept. Pure. */
export function buildAnalysis(acc: LogAccumulator, options: AnalysisOptions): AnalysisDocument {
  const sizes = acc.bySize();
  const { pricing } = options;
  const tiers = sizes.map((size) => sketchTier(size, pricing));
  const warnings: string[] = [];
  const names = options.source.names.join(", ");
  if (acc.records === 0) {
    warnings.push(
      options.source.kind === "cloudwatch"
        ? `no REPORT records in ${names} between ${iso(options.window?.startMs)} and ${iso(options.window?.endMs)}: the function was not invoked then, or its logs went elsewhere`
        : `no REPORT records in ${names}`,
    );
  }
  if (acc.malformed > 0) {
    warnings.push(
      `${acc.malformed} REPORT line${acc.malformed === 1 ? "" : "s"} could not be read and were skipped`,
    );
  }
  const window = options.window;
  if (window === null && acc.records > 0) {
    warnings.push(
      "no monthly cost: the logs' time span is unknown; pass --window (e.g. --window 7d) to say how long they cover",
    );
  }
  let acrossSizes = null;
  if (sizes.length >= 2) {
    const sampled = sizes.some((size) => !size.sample.complete);
    acrossSizes = buildResult(
      {
        targetKind: "replay",
        info: {
          name: options.functionName ?? "logs",
          architecture: options.architecture,
          region: options.region,
          warnings: [
            sampled
              ? `from a seeded sample of at most ${options.samplePerSize} records per size (seed ${options.seed}); handler errors left out`
              : "from every record; handler errors left out",
          ],
        },
        planSummary: {
          sizes: sizes.map((size) => size.memoryMb),
          invocationsPerSize: null,
          budget: null,
          seed: options.seed,
        },
        pricing,
        strategy: "cost",
        toolVersion: options.toolVersion,
        now: options.now,
      },
      curveRecords(sizes),
    );
    // Judged from records already written: nothing was invoked, so nothing was spent.
    acrossSizes.tuningCost = { invocations: 0, usd: 0 };
  }
  return {
    schemaVersion: ANALYSIS_SCHEMA_VERSION,
    kind: "analysis",
    tool: { name: "lambda-tune", version: options.toolVersion },
    generatedAt: options.now().toISOString(),
    function: options.functionName,
    source: options.source,
    window:
      window === null
        ? null
        : {
            start: window.startMs === null ? null : iso(window.startMs),
            end: window.endMs === null ? null : iso(window.endMs),
            seconds: window.seconds,
          },
    architecture: options.architecture,
    region: options.region,
    pricing: {
      pricePerGbSecondUsd: pricing.pricePerGbSecondUsd,
      pricePerRequestUsd: pricing.pricePerRequestUsd,
      source: pricing.source,
    },
    method: {
      quantileRelativeError: HISTOGRAM_RELATIVE_ERROR,
      samplePerSize: options.samplePerSize,
      seed: options.seed,
    },
    records: acc.records,
    malformedLines: acc.malformed,
    sizes: sizes.map((size, i) => sizeAnalysis(size, tiers[i] as Tier, tiers, pricing)),
    monthlyCost:
      window === null || acc.records === 0 ? null : monthlyCost(sizes, window.seconds, pricing),
    acrossSizes,
    warnings,
  };
}

function iso(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? "the start" : new Date(ms).toISOString();
}
