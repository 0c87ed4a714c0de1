import type { Plan } from "../document/plan.js";
import {
  type ResultDocument,
  SCHEMA_VERSION,
  type Strategy,
  type TargetKind,
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
import type { InvocationError } from "./invocation-error.js";
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
  /** Wait this long after each invocation ends before the next at a size (`--pause`). */
  pauseMs?: number;
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
    planner: createPlanner(options.plan, options),
    ...(options.pauseMs !== undefined && { pauseMs: options.pauseMs }),
    payload: options.payload,
    concurrency: options.concurrency,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const measured = [...sweep.records.keys()].sort((a, b) => a - b);
  const planSummary = summarizePlan(options.plan, options.seed, measured);
  return buildResult(
    { ...options, planSummary },
    [...sweep.records.values()].flat(),
    sweep.notes,
    sweep.firstErrors,
  );
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

/** The result document for records already measured (also used by benchmarks). */
export function buildResult(
  options: ResultOptions,
  records: readonly ReportRecord[],
  notes: ReadonlyMap<number, readonly string[]> = new Map(),
  firstErrors: ReadonlyMap<number, InvocationError> = new Map(),
): ResultDocument {
  const { info, pricing } = options;
  const measured = buildTiers(records, pricing).map((tier) => {
    const firstError = firstErrors.get(tier.memoryMb);
    return {
      ...tier,
      ...(firstError !== undefined && { firstError }),
      warnings: [...tier.warnings, ...(notes.get(tier.memoryMb) ?? [])],
    };
  });
  const { fit } = fitDurationCurve(medianPoints(measured));
  const outcome = recommend(measured, {
    strategy: options.strategy,
    pricing,
    ...(options.maxP95Ms !== undefined && { maxP95Ms: options.maxP95Ms }),
    ...(options.balancedTolerance !== undefined && {
      balancedTolerance: options.balancedTolerance,
    }),
    ...(info.currentTimeoutSeconds !== undefined && {
      currentTimeoutSeconds: info.currentTimeoutSeconds,
    }),
  });
  const warnings = [...info.warnings];
  if (outcome.recommendation === null) warnings.push(outcome.reason);
  const coldOnly = measured.filter((t) => t.warmInvocations === 0 && t.coldStarts > 0);
  if (coldOnly.length > 0) {
    warnings.push(
      `${formatSizes(coldOnly.map((t) => t.memoryMb))} measured only with cold starts: their ` +
        "cost is the Duration billed to the ms, without Init Duration, as a warm call would be billed",
    );
  }
  // Seeded, so the same run gives the same interval.
  const random = createRandom(deriveSeed(options.planSummary.seed, CONFIDENCE_SEED_SALT));
  const recommendation =
    outcome.recommendation &&
    withBootstrapConfidence(outcome.recommendation, records, pricing, random);

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
  if (info.runtime !== undefined) doc.runtime = { ...info.runtime };
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
