import type { Recommendation, RunnerUp, Strategy, Tier } from "../document/result.js";
import { GateError, UsageError } from "../errors.js";
import { formatCount, formatDuration, formatPercent } from "../format.js";
import { MAX_MEMORY_MB, MIN_MEMORY_MB } from "../lambda.js";
import { bandOf, best, type CostContext, decidingCalls } from "./band.js";
import { pooledCostErrors } from "./noise.js";
import { PICKERS } from "./pickers.js";
import type { Pricing } from "./pricing.js";
import { coldOnlyExclusion, failureExclusion, incompleteMixExclusion } from "./stats.js";
import { recommendTimeout } from "./timeout.js";

/** `balanced` accepts sizes up to this much dearer than the cheapest. */
export const DEFAULT_BALANCED_TOLERANCE = 0.1;
/**
 * `--tie-tolerance`: sizes this much dearer than the cheapest cost the same.
 * About the run-to-run noise of a size's cost (replicated ground truths on the
 * emulator, `npm run bench -- live`), so the pick does not follow the noise.
 */
export const DEFAULT_TIE_TOLERANCE = 0.02;
/** Above this a "tie" would hand the pick to sizes half again as dear. */
export const MAX_TIE_TOLERANCE = 0.5;
/** Warm calls at each of two sizes before an interval on their difference means anything. */
export const MIN_WARM_CALLS_TO_COMPARE = 3;

/** Fewer warm invocations than this at the chosen size earn a warning. */
const FEW_SAMPLES = 10;

export interface RecommendOptions {
  strategy: Strategy;
  pricing: Pricing;
  /** Sizes whose warm p95 duration exceeds this are excluded. */
  maxP95Ms?: number;
  /** For `balanced`, as a fraction: 0.1 accepts sizes up to 10% dearer than the cheapest. */
  balancedTolerance?: number;
  /** As a fraction: sizes up to this much dearer than the cheapest form the band (default 2%). */
  tieTolerance?: number;
  /**
   * Production's share of cold starts, as a fraction: each size's cost becomes
   * (1 - r) x warm + r x cold. Absent: the steady state (warm calls) decides.
   */
  coldStartRate?: number;
  /** Where the rate came from, for the result (`--cold-start-rate`, a file). */
  coldStartSource?: string;
  /** Whether a cold call is billed with its Init (the tiers were built the same way). */
  billInit?: boolean;
  /** With several payloads: their names, for a size where some had no warm call. */
  payloadLabels?: readonly string[];
  currentTimeoutSeconds?: number;
  /**
   * How the user gets `warmCallsPerSize` warm calls at each of `sizes`, in
   * words (`a budget of about 60`, `-n 12`); by default the count itself.
   */
  moreCalls?: (warmCallsPerSize: number, sizes: readonly Tier[]) => string;
}

/**
 * The recommendation, with the tiers marked `excluded` where a size cannot be
 * recommended; when no size can be, the reason in words.
 */
export type RecommendOutcome =
  | { recommendation: Recommendation; tiers: Tier[] }
  | { recommendation: null; tiers: Tier[]; reason: string };

function checkOptions(options: RecommendOptions): { tolerance: number; tie: number } {
  const tolerance = options.balancedTolerance ?? DEFAULT_BALANCED_TOLERANCE;
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    throw new UsageError(`the balanced cost tolerance must be a fraction >= 0, got ${tolerance}`, {
      hint: "give it as a percentage or a fraction, e.g. 10% or 0.1",
    });
  }
  const tie = options.tieTolerance ?? DEFAULT_TIE_TOLERANCE;
  if (!Number.isFinite(tie) || tie < 0 || tie > MAX_TIE_TOLERANCE) {
    throw new UsageError(
      `the tie tolerance must be from 0 to ${formatPercent(MAX_TIE_TOLERANCE)}, got ${formatPercent(tie)}`,
      { hint: "give --tie-tolerance about the run-to-run noise, e.g. 2% or 0.02" },
    );
  }
  const rate = options.coldStartRate;
  if (rate !== undefined && !(rate >= 0 && rate <= 1)) {
    throw new UsageError(`the cold-start rate must be from 0 to 100%, got ${formatPercent(rate)}`, {
      hint: "give --cold-start-rate as a percentage, e.g. 1%",
    });
  }
  if (options.maxP95Ms !== undefined && !(options.maxP95Ms > 0)) {
    throw new UsageError(`the p95 limit must be a positive number of ms, got ${options.maxP95Ms}`, {
      hint: "give the p95 limit in milliseconds, e.g. 250",
    });
  }
  if (!Object.hasOwn(PICKERS, options.strategy)) {
    throw new UsageError(`unknown strategy "${options.strategy}"; known: cost, speed, balanced`, {
      hint: "pass --strategy cost, --strategy speed or --strategy balanced",
    });
  }
  return { tolerance, tie };
}

/**
 * Copies of the tiers with `excluded` set: failed invocations, no warm call
 * (unless every call is to be cold, rate 1), no cold call when a cold-start
 * rate needs one, and the p95 limit.
 */
export function markExclusions(
  tiers: readonly Tier[],
  maxP95Ms?: number,
  coldStartRate?: number,
  payloadLabels?: readonly string[],
): Tier[] {
  return tiers.map((tier) => {
    const marked: Tier = { ...tier, warnings: [...tier.warnings] };
    delete marked.excluded;
    const failure = failureExclusion(tier);
    const coldOnly = coldStartRate === 1 ? undefined : coldOnlyExclusion(tier);
    const mix = coldStartRate === 1 ? undefined : incompleteMixExclusion(tier, payloadLabels);
    if (failure !== undefined) marked.excluded = failure;
    else if (coldOnly !== undefined) marked.excluded = coldOnly;
    else if (mix !== undefined) marked.excluded = mix;
    else if (
      coldStartRate !== undefined &&
      coldStartRate > 0 &&
      tier.coldCostPerInvocationUsd == null
    ) {
      marked.excluded = `no cold call measured here, so its cost at a ${formatPercent(coldStartRate)} cold-start rate is unknown`;
    } else if (maxP95Ms !== undefined && tier.durationMs.p95 > maxP95Ms) {
      marked.excluded = `p95 ${formatDuration(tier.durationMs.p95)} exceeds the limit of ${formatDuration(maxP95Ms)}`;
    }
    return marked;
  });
}

function edgeWarnings(
  strategy: Strategy,
  winner: Tier,
  measured: readonly Tier[],
  calls: number,
): string[] {
  const sizes = measured.map((t) => t.memoryMb);
  const warnings: string[] = [];
  // Lambda sizes run from 128 to 10,240 MB (docs/lambda-facts.md, "Memory and CPU").
  if (
    strategy === "cost" &&
    winner.memoryMb === Math.min(...sizes) &&
    winner.memoryMb > MIN_MEMORY_MB
  ) {
    warnings.push(
      `${winner.memoryMb} MB is the smallest size measured: smaller sizes may be cheaper still`,
    );
  }
  if (
    strategy !== "balanced" &&
    winner.memoryMb === Math.max(...sizes) &&
    winner.memoryMb < MAX_MEMORY_MB
  ) {
    warnings.push(
      `${winner.memoryMb} MB is the largest size measured: larger sizes may be ${strategy === "cost" ? "cheaper" : "faster"} still`,
    );
  }
  if (calls < FEW_SAMPLES) {
    warnings.push(
      `the figures at ${winner.memoryMb} MB rest on ${formatCount(calls, "call")}: they are rough`,
    );
  }
  return warnings;
}

function runnerUpOf(winner: Tier, runnerUp: Tier, context: CostContext, rate?: number): RunnerUp {
  const warmCalls: [number, number] = [decidingCalls(winner, rate), decidingCalls(runnerUp, rate)];
  return {
    memoryMb: runnerUp.memoryMb,
    costDifference: context.cost(runnerUp) - context.cost(winner),
    warmCalls,
    enoughCalls: warmCalls.every((n) => n >= MIN_WARM_CALLS_TO_COMPARE),
  };
}

/** Why nothing is eligible when no size failed outright: no warm calls, or a gate. */
function nothingEligible(
  marked: readonly Tier[],
  withoutFailures: readonly Tier[],
  options: RecommendOptions,
): RecommendOutcome {
  const overLimit = withoutFailures.filter((t) => t.excluded?.startsWith("p95 "));
  if (overLimit.length > 0) {
    const closest = best(overLimit, (t) => t.durationMs.p95);
    throw new GateError(
      `no memory size meets the p95 limit of ${formatDuration(options.maxP95Ms ?? 0)}: the closest is ` +
        `${closest.memoryMb} MB with p95 ${formatDuration(closest.durationMs.p95)}`,
      {
        hint: "raise the p95 limit, or measure larger memory sizes if the function can use more CPU",
      },
    );
  }
  if (withoutFailures.every((t) => coldOnlyExclusion(t) !== undefined)) {
    return {
      recommendation: null,
      tiers: [...marked],
      reason:
        "no size has a warm call: every size was called only cold, and a first call's Duration " +
        "includes one-off work; give each size at least 2 calls (a larger --budget, or -n 2 or more)",
    };
  }
  return {
    recommendation: null,
    tiers: [...marked],
    reason: `no memory size can be recommended (${withoutFailures.map((t) => `${t.memoryMb} MB: ${t.excluded}`).join("; ")})`,
  };
}

/**
 * Recommends one of the measured sizes (never an unmeasured one, never one
 * with failures, without a warm call or over the p95 limit) and a timeout,
 * with the band of sizes that cost the same within the tie tolerance. Throws
 * GateError when sizes without failures exist but none meets the p95 limit.
 */
export function recommend(tiers: readonly Tier[], options: RecommendOptions): RecommendOutcome {
  const { tolerance, tie } = checkOptions(options);
  const rate = options.coldStartRate;
  const marked = markExclusions(tiers, options.maxP95Ms, rate, options.payloadLabels);
  if (marked.length === 0) {
    return { recommendation: null, tiers: marked, reason: "no memory size was measured" };
  }
  const withoutFailures = marked.filter((t) => failureExclusion(t) === undefined);
  if (withoutFailures.length === 0) {
    return {
      recommendation: null,
      tiers: marked,
      reason:
        "no memory size can be recommended: every measured size had failed invocations (" +
        marked.map((t) => `${t.memoryMb} MB: ${t.excluded}`).join("; ") +
        ")",
    };
  }
  const eligible = marked.filter((t) => t.excluded === undefined);
  if (eligible.length === 0) return nothingEligible(marked, withoutFailures, options);

  const warmErrors = pooledCostErrors(eligible, options.pricing);
  const context: CostContext = {
    tolerance,
    tie,
    cost: (t) => t.costPerInvocationUsd,
    se: warmErrors,
  };
  if (rate !== undefined) {
    const cold = (t: Tier) => t.coldCostPerInvocationUsd ?? t.costPerInvocationUsd;
    context.cost = (t) => (1 - rate) * t.costPerInvocationUsd + rate * cold(t);
    // A cold call's own spread is rarely measured (one per size): the pooled warm spread stands in.
    context.se = (t) =>
      Math.hypot(
        (1 - rate) * warmErrors(t),
        (rate * cold(t) * warmErrors(t)) /
          t.costPerInvocationUsd /
          Math.sqrt(Math.max(1, t.coldStarts) / Math.max(1, t.billedDurationMs.count)),
      );
    for (const tier of marked) {
      if (tier.coldCostPerInvocationUsd != null)
        tier.productionCostPerInvocationUsd = context.cost(tier);
    }
  }
  const pick = PICKERS[options.strategy];
  const { winner, reason } = pick(eligible, context);
  const others = eligible.filter((t) => t !== winner);
  // The runner-up is what the same strategy picks without the winner.
  const runnerUp = others.length > 0 ? pick(others, context).winner : undefined;
  const band = bandOf(eligible, winner, runnerUp, context, options);
  const timeout = recommendTimeout(winner, marked, options.currentTimeoutSeconds);
  const recommendation: Recommendation = {
    memoryMb: winner.memoryMb,
    timeoutSeconds: timeout.timeoutSeconds,
    strategy: options.strategy,
    expectedDurationMs: winner.durationMs.median,
    expectedCostPerInvocationUsd: context.cost(winner),
    reason: band.advice === undefined ? reason : `${reason}; ${band.advice}`,
    band,
    timeoutReason: timeout.reason,
    warnings: [
      ...winner.warnings,
      ...edgeWarnings(options.strategy, winner, marked, decidingCalls(winner, rate)),
      ...timeout.warnings,
    ],
  };
  if (runnerUp !== undefined) recommendation.runnerUp = runnerUpOf(winner, runnerUp, context, rate);
  if (rate !== undefined) {
    const { coldStartRate: _rate, ...steadyOptions } = options;
    const steady = recommend(tiers, steadyOptions);
    const steadyMb = steady.recommendation?.memoryMb ?? null;
    recommendation.coldStarts = {
      rate,
      source: options.coldStartSource ?? "--cold-start-rate",
      billInit: options.billInit ?? true,
      steadyStateMemoryMb: steadyMb,
      changesPick: steadyMb !== winner.memoryMb,
    };
  }
  return { recommendation, tiers: marked };
}
