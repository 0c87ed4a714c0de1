import type { Plan } from "../document/plan.js";
import {
  type ResultDocument,
  SCHEMA_VERSION,
  type Strategy,
  type TargetKind,
  type Tier,
} from "../document/result.js";
import { formatSizes } from "../format.js";
import type { ReportRecord } from "../logs/record.js";
import { withBootstrapConfidence } from "../model/confidence.js";
import { totalCost } from "../model/cost.js";
import { fitDurationCurve, medianPoints } from "../model/fit.js";
import { normalizedWeights, type PayloadMix } from "../model/payload-mix.js";
import type { Pricing } from "../model/pricing.js";
import { createRandom, deriveSeed } from "../model/random.js";
import { recommend } from "../model/recommend.js";
import { buildTiers } from "../model/stats.js";
import type { FunctionInfo, Target } from "../targets/target.js";
import { createPlanner } from "./planners.js";
import { runSweep, type SweepEvent } from "./sweep.js";

const CONFIDENCE_SEED_SALT = 1;

/** What turns measured records into a result document. */
export interface ResultOptions {
  targetKind: TargetKind;
  info: FunctionInfo;
  /** What the result says was planned (sizes, counts or budget, seed). */
  planSummary: ResultDocument["plan"];
  pricing: Pricing;
  strategy: Strategy;
  maxP95Ms?: number;
  balancedTolerance?: number;
  /** `--tie-tolerance`, a fraction (default 2%). */
  tieTolerance?: number;
  /** Production's share of cold starts, a fraction; absent: the steady state decides. */
  coldStartRate?: number;
  /** Where the rate came from, in words (`--cold-start-rate`, an analysis file). */
  coldStartSource?: string;
  /** Bill a cold call's Init (default); false: the rule before August 2025. */
  billInit?: boolean;
  /** Several payloads (`--payload-file`): how they mix, and a short view of each for the result. */
  payloads?: { mix: PayloadMix; previews: readonly string[] };
  toolVersion: string;
  now: () => Date;
}

export interface TuneOptions extends Omit<ResultOptions, "planSummary"> {
  target: Target;
  plan: Plan;
  /** Seeds the bootstrap (and is recorded in the result). */
  seed: number;
  payload: string;
  /** With several payloads: the events, in the order of `payloads.mix` (`payload` is unused then). */
  events?: readonly string[];
  concurrency: number;
  onProgress?: (event: SweepEvent) => void;
  signal?: AbortSignal;
}

/**
 * The whole job once the target is chosen: sweep, statistics, fitted curve,
 * recommendation, result document. Prints nothing, and does not restore the
 * target: the caller does that in a finally, whatever happens.
 */
export async function tune(options: TuneOptions): Promise<ResultDocument> {
  const sweep = await runSweep({
    target: options.target,
    planner: createPlanner(options.plan, {
      pricing: options.pricing,
      strategy: options.strategy,
      ...(options.tieTolerance !== undefined && { tieTolerance: options.tieTolerance }),
      ...(options.payloads !== undefined && { mix: options.payloads.mix }),
    }),
    payload: options.payload,
    ...(options.events !== undefined &&
      options.payloads !== undefined && {
        mix: { payloads: options.events, mix: options.payloads.mix },
      }),
    concurrency: options.concurrency,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const measured = [...sweep.records.keys()].sort((a, b) => a - b);
  const planSummary = summarizePlan(options.plan, options.seed, measured);
  return buildResult({ ...options, planSummary }, [...sweep.records.values()].flat(), sweep.notes);
}

/** The plan as the result records it; an adaptive plan's sizes are those it chose to measure. */
export function summarizePlan(
  plan: Plan,
  seed: number,
  measuredSizes: readonly number[],
): ResultDocument["plan"] {
  switch (plan.kind) {
    case "grid":
      return {
        sizes: [...plan.sizes],
        invocationsPerSize: plan.invocationsPerSize,
        budget: null,
        seed,
      };
    case "adaptive":
      return { sizes: [...measuredSizes], invocationsPerSize: null, budget: plan.budget, seed };
  }
}

/**
 * How to get more warm calls per size, in the plan's own terms: a larger
 * budget for the adaptive planner (what those sizes lack, on top of what was
 * spent, rounded up to 5), a larger -n for a grid (its first call is cold).
 */
function moreCallsFor(
  plan: ResultDocument["plan"],
  spent: number,
): (perSize: number, sizes: readonly Tier[]) => string {
  return (perSize, sizes) => {
    if (plan.budget === null) {
      const cold = sizes.some((t) => t.coldStarts > 0) ? 1 : 0;
      return `-n ${perSize + cold}`;
    }
    let lacking = 0;
    for (const tier of sizes) lacking += Math.max(0, perSize - tier.warmInvocations);
    return `a budget of about ${Math.ceil((spent + lacking) / 5) * 5}`;
  };
}

/** Names each payload whose every call failed, at every size that called it: it spoils the mix. */
function failingPayloads(tiers: readonly Tier[], payloads: ResultOptions["payloads"]): string[] {
  if (payloads === undefined) return [];
  const { mix, previews } = payloads;
  return mix.labels.flatMap((label, index) => {
    const called = tiers
      .map((t) => t.payloads?.find((p) => p.payload === index))
      .filter((p) => p !== undefined && p.invocations > 0);
    const failed = called.length > 0 && called.every((p) => p!.errors === p!.invocations);
    if (!failed) return [];
    return [
      `payload ${label} (${previews[index] ?? ""}) failed at every size: no size can be ` +
        "recommended for a mix that includes it; fix the event or leave it out of the file",
    ];
  });
}

/** The result document for records already measured (also used by benchmarks). */
export function buildResult(
  options: ResultOptions,
  records: readonly ReportRecord[],
  notes: ReadonlyMap<number, readonly string[]> = new Map(),
): ResultDocument {
  const { info, pricing } = options;
  const billInit = options.billInit ?? true;
  const mix = options.payloads?.mix;
  const measured = buildTiers(records, pricing, {
    billInit,
    ...(mix !== undefined && { mix }),
  }).map((tier) => ({
    ...tier,
    warnings: [...tier.warnings, ...(notes.get(tier.memoryMb) ?? [])],
  }));
  const { fit } = fitDurationCurve(medianPoints(measured));
  const outcome = recommend(measured, {
    strategy: options.strategy,
    pricing,
    ...(options.maxP95Ms !== undefined && { maxP95Ms: options.maxP95Ms }),
    ...(options.balancedTolerance !== undefined && {
      balancedTolerance: options.balancedTolerance,
    }),
    ...(options.tieTolerance !== undefined && { tieTolerance: options.tieTolerance }),
    ...(options.coldStartRate !== undefined && {
      coldStartRate: options.coldStartRate,
      coldStartSource: options.coldStartSource ?? "--cold-start-rate",
    }),
    billInit,
    ...(mix !== undefined && { payloadLabels: mix.labels }),
    moreCalls: moreCallsFor(options.planSummary, records.length),
    ...(info.currentTimeoutSeconds !== undefined && {
      currentTimeoutSeconds: info.currentTimeoutSeconds,
    }),
  });
  const warnings = [...info.warnings, ...failingPayloads(measured, options.payloads)];
  if (outcome.recommendation === null) warnings.push(outcome.reason);
  const coldOnly = measured.filter((t) => t.warmInvocations === 0 && t.coldStarts > 0);
  if (coldOnly.length > 0 && options.coldStartRate !== 1) {
    const which = formatSizes(coldOnly.map((t) => t.memoryMb));
    warnings.push(
      `${which} had only a cold call: not compared, since a first call's Duration includes ` +
        "one-off work; their cold calls are shown apart",
    );
  }
  // Seeded, so the same run gives the same interval.
  const random = createRandom(deriveSeed(options.planSummary.seed, CONFIDENCE_SEED_SALT));
  const recommendation =
    outcome.recommendation &&
    withBootstrapConfidence(outcome.recommendation, records, pricing, random, {
      ...(options.coldStartRate !== undefined && { coldStartRate: options.coldStartRate }),
      billInit,
      ...(mix !== undefined && { mix }),
    });

  const doc: ResultDocument = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: "lambda-tune", version: options.toolVersion },
    generatedAt: options.now().toISOString(),
    function: info.name,
    target: options.targetKind,
    architecture: info.architecture,
    region: info.region,
    pricing,
    plan: options.planSummary,
    ...(options.payloads !== undefined && {
      payloads: options.payloads.mix.labels.map((label, i) => ({
        label,
        weight: normalizedWeights(options.payloads!.mix)[i]!,
        preview: options.payloads!.previews[i] ?? "",
      })),
    }),
    tiers: outcome.tiers,
    model: fit,
    recommendation,
    tuningCost: { invocations: records.length, usd: totalCost(records, pricing) },
    warnings,
  };
  if (info.isolation !== undefined) doc.isolation = info.isolation;
  if (info.currentMemoryMb !== undefined || info.currentTimeoutSeconds !== undefined) {
    doc.current = {
      ...(info.currentMemoryMb !== undefined && { memoryMb: info.currentMemoryMb }),
      ...(info.currentTimeoutSeconds !== undefined && {
        timeoutSeconds: info.currentTimeoutSeconds,
      }),
    };
  }
  return doc;
}
