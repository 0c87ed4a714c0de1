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
  toolVersion: string;
  now: () => Date;
}

export interface TuneOptions extends Omit<ResultOptions, "planSummary"> {
  target: Target;
  plan: Plan;
  /** Seeds the bootstrap (and is recorded in the result). */
  seed: number;
  payload: string;
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
    }),
    payload: options.payload,
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

/** The result document for records already measured (also used by benchmarks). */
export function buildResult(
  options: ResultOptions,
  records: readonly ReportRecord[],
  notes: ReadonlyMap<number, readonly string[]> = new Map(),
): ResultDocument {
  const { info, pricing } = options;
  const billInit = options.billInit ?? true;
  const measured = buildTiers(records, pricing, { billInit }).map((tier) => ({
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
    moreCalls: moreCallsFor(options.planSummary, records.length),
    ...(info.currentTimeoutSeconds !== undefined && {
      currentTimeoutSeconds: info.currentTimeoutSeconds,
    }),
  });
  const warnings = [...info.warnings];
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
