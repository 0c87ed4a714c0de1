import type { Plan } from "../document/plan.js";
import {
  type ResultDocument,
  SCHEMA_VERSION,
  type Strategy,
  type TargetKind,
  type Tier,
} from "../document/result.js";
import type { LambdaTuneError } from "../errors.js";
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
import type { FunctionInfo, Target, UnansweredInvocations } from "../targets/target.js";
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
  /** Wait this long after each invocation ends before the next at a size (`--pause`). */
  pauseMs?: number;
  onProgress?: (event: SweepEvent) => void;
  signal?: AbortSignal;
}

/**
 * The whole job once the target is chosen: sweep, statistics, fitted curve,
 * recommendation, result document. Prints nothing, and does not restore the
 * target: the caller does that in a finally, whatever happens. A sweep that
 * stopped early (a run failure, someone else's change) is thrown.
 */
export async function tune(options: TuneOptions): Promise<ResultDocument> {
  const { doc, stopped } = await tuneOutcome(options);
  if (stopped !== undefined) throw stopped;
  return doc;
}

/** What a tuning run ended with: the document, and why it stopped early when it did. */
export interface TuneOutcome {
  /** Everything measured, a partial sweep included; every invocation paid for is in tuningCost. */
  doc: ResultDocument;
  stopped?: LambdaTuneError;
}

/** `tune`, with a sweep that stopped early as a value: its partial document and the reason. */
export async function tuneOutcome(options: TuneOptions): Promise<TuneOutcome> {
  const sweep = await runSweep({
    target: options.target,
    planner: createPlanner(options.plan, {
      pricing: options.pricing,
      strategy: options.strategy,
      ...(options.tieTolerance !== undefined && { tieTolerance: options.tieTolerance }),
      ...(options.payloads !== undefined && { mix: options.payloads.mix }),
    }),
    ...(options.pauseMs !== undefined && { pauseMs: options.pauseMs }),
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
  const doc = buildResult(
    { ...options, planSummary },
    [...sweep.records.values()].flat(),
    sweep.notes,
    {
      firstErrors: sweep.firstErrors,
      ...(options.target.unansweredInvocations !== undefined && {
        unanswered: options.target.unansweredInvocations(),
      }),
      ...(sweep.stopped !== undefined && {
        stopped: { reason: sweep.stopped.message, memoryMb: sweep.stoppedAt },
      }),
    },
  );
  return { doc, ...(sweep.stopped !== undefined && { stopped: sweep.stopped }) };
}

/** What the result says beyond the measured records. */
export interface ResultExtras {
  /** The first failed invocation's error at each size where one failed. */
  firstErrors?: ReadonlyMap<number, InvocationError>;
  /**
   * Invocations that ran and were billed but whose answers were lost (found
   * in the function's log afterwards): in tuningCost, not in the statistics.
   */
  unanswered?: UnansweredInvocations;
  /** The sweep stopped early, at this size, for this reason. */
  stopped?: { reason: string; memoryMb: number | undefined };
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
  extras: ResultExtras = {},
): ResultDocument {
  const { info, pricing } = options;
  const { stopped } = extras;
  const billInit = options.billInit ?? true;
  const mix = options.payloads?.mix;
  const measured = buildTiers(records, pricing, {
    billInit,
    ...(mix !== undefined && { mix }),
  }).map((tier) => {
    const firstError = extras.firstErrors?.get(tier.memoryMb);
    const marked = {
      ...tier,
      ...(firstError !== undefined && { firstError }),
      warnings: [...tier.warnings, ...(notes.get(tier.memoryMb) ?? [])],
    };
    // A size cut short is not measured: never recommend it.
    if (stopped?.memoryMb === tier.memoryMb) {
      marked.excluded = `the sweep stopped during this size: ${stopped.reason}`;
    }
    return marked;
  });
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
  if (stopped !== undefined) {
    const at = stopped.memoryMb === undefined ? "" : ` at ${formatSizes([stopped.memoryMb])}`;
    warnings.push(
      `the sweep stopped early${at}: ${stopped.reason}; the result holds only what was measured before`,
    );
  }
  if (outcome.recommendation === null) warnings.push(outcome.reason);
  const unanswered = extras.unanswered?.records ?? [];
  warnings.push(...(extras.unanswered?.warnings ?? []));
  if (unanswered.length > 0) {
    warnings.push(
      `${unanswered.length} ${unanswered.length === 1 ? "invocation" : "invocations"} ran but ${unanswered.length === 1 ? "its answer was" : "their answers were"} lost (the connection dropped and the call was retried); found in the function's log, counted in tuningCost, not in the statistics`,
    );
  }
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
    tuningCost: {
      invocations: records.length + unanswered.length,
      usd: totalCost([...records, ...unanswered], pricing),
    },
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
