import type { Recommendation, Strategy, Tier } from "../document/result.js";
import { GateError, UsageError } from "../errors.js";
import { formatCount, formatDuration, formatPercent, formatTimes, formatUsd } from "../format.js";
import { MAX_MEMORY_MB, MIN_MEMORY_MB } from "../lambda.js";
import {
  costStandardError,
  differenceStandardError,
  medianStandardError,
  withinNoise,
} from "./noise.js";
import type { Pricing } from "./pricing.js";
import { failureExclusion } from "./stats.js";
import { recommendTimeout } from "./timeout.js";

/** `balanced` accepts sizes up to this much dearer than the cheapest. */
export const DEFAULT_BALANCED_TOLERANCE = 0.1;

/**
 * Under `cost`, a size tied within noise wins only if it is at most this much
 * dearer by its point estimate, the best guess of what the user will pay: with
 * a few calls (or a heavy tail) the noise band spans 5-25%, and a cap that wide
 * trades the cheapest for a faster size on most flat CPU-bound curves.
 */
export const MAX_TIE_PREMIUM = 0.01;

/** Fewer invocations than this at the chosen size earn a warning. */
const FEW_SAMPLES = 10;

export interface RecommendOptions {
  strategy: Strategy;
  pricing: Pricing;
  /** Sizes whose warm p95 duration exceeds this are excluded. */
  maxP95Ms?: number;
  /** For `balanced`, as a fraction: 0.1 accepts sizes up to 10% dearer than the cheapest. */
  balancedTolerance?: number;
  currentTimeoutSeconds?: number;
}

/**
 * The recommendation, with the tiers marked `excluded` where a size cannot be
 * recommended; when no size can be, the reason in words.
 */
export type RecommendOutcome =
  | { recommendation: Recommendation; tiers: Tier[] }
  | { recommendation: null; tiers: Tier[]; reason: string };

interface Pick {
  winner: Tier;
  reason: string;
}

interface Context {
  pricing: Pricing;
  tolerance: number;
}

/** How many times faster `fast` is than `slow`, by median duration. */
function speedup(fast: Tier, slow: Tier): string {
  return formatTimes(slow.durationMs.median / Math.max(fast.durationMs.median, 1e-9));
}

function dearer(tier: Tier, than: Tier): number {
  return tier.costPerInvocationUsd / than.costPerInvocationUsd - 1;
}

/** Ascending by `key`, then by the tie-breakers, then by memory (deterministic). */
function best(tiers: readonly Tier[], ...keys: ((t: Tier) => number)[]): Tier {
  const sorted = [...tiers].sort((a, b) => {
    for (const key of keys) {
      const d = key(a) - key(b);
      if (d !== 0) return d;
    }
    return a.memoryMb - b.memoryMb;
  });
  return sorted[0]!;
}

const byCost = (t: Tier) => t.costPerInvocationUsd;
const byMedian = (t: Tier) => t.durationMs.median;

/**
 * A tie on cost goes to the faster size only when it is faster by more than
 * noise: on a CFS step (docs/lambda-facts.md, "CPU throttling") every size
 * runs equally fast, and a median lower by chance would hand the tie to a
 * dearer size.
 */
function fasterBeyondNoise(t: Tier, than: Tier): boolean {
  const a = t.durationMs.median;
  const b = than.durationMs.median;
  return a < b && !withinNoise(a, medianStandardError(t), b, medianStandardError(than));
}

function pickCost(eligible: readonly Tier[], { pricing }: Context): Pick {
  const cheapest = best(eligible, byCost, byMedian);
  const se = (t: Tier) => costStandardError(t, pricing);
  const tied = eligible.filter(
    (t) =>
      t === cheapest ||
      (dearer(t, cheapest) <= MAX_TIE_PREMIUM &&
        withinNoise(t.costPerInvocationUsd, se(t), cheapest.costPerInvocationUsd, se(cheapest)) &&
        fasterBeyondNoise(t, cheapest)),
  );
  const winner = best(tied, byMedian, byCost);
  const price = `${formatUsd(winner.costPerMillionUsd)} per million invocations`;
  if (winner === cheapest) {
    const others = tied.filter((t) => t !== winner).map((t) => `${t.memoryMb} MB`);
    const rest = eligible.filter((t) => t !== winner);
    let reason = `${winner.memoryMb} MB: cheapest at ${price}, median ${formatDuration(winner.durationMs.median)}`;
    if (others.length > 0)
      reason += `; ${others.join(", ")} within measurement noise but not faster`;
    else if (rest.length > 0) {
      const next = best(rest, byCost);
      reason += `; next cheapest ${next.memoryMb} MB is ${formatPercent(dearer(next, winner))} dearer`;
    }
    return { winner, reason };
  }
  const noise =
    (2 * differenceStandardError(se(winner), se(cheapest))) / cheapest.costPerInvocationUsd;
  return {
    winner,
    reason:
      `${winner.memoryMb} MB: ${formatPercent(dearer(winner, cheapest))} dearer than ${cheapest.memoryMb} MB, ` +
      `within measurement noise (±${formatPercent(noise)}), and ${speedup(winner, cheapest)} faster ` +
      `(median ${formatDuration(winner.durationMs.median)} vs ${formatDuration(cheapest.durationMs.median)}); ${price}`,
  };
}

function pickSpeed(eligible: readonly Tier[]): Pick {
  const fastest = best(eligible, byMedian, byCost);
  const tied = eligible.filter((t) =>
    withinNoise(
      t.durationMs.median,
      medianStandardError(t),
      fastest.durationMs.median,
      medianStandardError(fastest),
    ),
  );
  const winner = best(tied, byCost, byMedian);
  const price = `${formatUsd(winner.costPerMillionUsd)} per million invocations`;
  if (winner === fastest) {
    return {
      winner,
      reason: `${winner.memoryMb} MB: fastest, median ${formatDuration(winner.durationMs.median)}; ${price}`,
    };
  }
  return {
    winner,
    reason:
      `${winner.memoryMb} MB: median ${formatDuration(winner.durationMs.median)} is within measurement noise of the ` +
      `fastest (${fastest.memoryMb} MB, ${formatDuration(fastest.durationMs.median)}) and ` +
      `${formatPercent(-dearer(winner, fastest))} cheaper; ${price}`,
  };
}

function pickBalanced(eligible: readonly Tier[], { tolerance }: Context): Pick {
  const cheapest = best(eligible, byCost, byMedian);
  const limit = cheapest.costPerInvocationUsd * (1 + tolerance);
  const affordable = eligible.filter((t) => t.costPerInvocationUsd <= limit);
  const winner = best(affordable, byMedian, byCost);
  const within = `within ${formatPercent(tolerance)} of the cheapest cost`;
  if (winner === cheapest) {
    return {
      winner,
      reason:
        `${winner.memoryMb} MB: cheapest at ${formatUsd(winner.costPerMillionUsd)} per million invocations, ` +
        `and no size ${within} is faster (median ${formatDuration(winner.durationMs.median)})`,
    };
  }
  return {
    winner,
    reason:
      `${winner.memoryMb} MB: fastest size ${within} (${cheapest.memoryMb} MB): ` +
      `${formatPercent(dearer(winner, cheapest))} dearer, ${speedup(winner, cheapest)} faster ` +
      `(median ${formatDuration(winner.durationMs.median)} vs ${formatDuration(cheapest.durationMs.median)})`,
  };
}

const PICKERS: Record<Strategy, (eligible: readonly Tier[], context: Context) => Pick> = {
  cost: pickCost,
  speed: pickSpeed,
  balanced: pickBalanced,
};

function checkOptions(options: RecommendOptions): number {
  const tolerance = options.balancedTolerance ?? DEFAULT_BALANCED_TOLERANCE;
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    throw new UsageError(`the balanced cost tolerance must be a fraction >= 0, got ${tolerance}`, {
      hint: "give it as a fraction, e.g. 0.1 for 10%",
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
  return tolerance;
}

/** Copies of the tiers with `excluded` set for failed invocations and for the p95 limit. */
export function markExclusions(tiers: readonly Tier[], maxP95Ms?: number): Tier[] {
  return tiers.map((tier) => {
    const marked: Tier = { ...tier, warnings: [...tier.warnings] };
    const failure = failureExclusion(tier);
    if (failure !== undefined) marked.excluded = failure;
    else if (maxP95Ms !== undefined && tier.durationMs.p95 > maxP95Ms) {
      marked.excluded = `p95 ${formatDuration(tier.durationMs.p95)} exceeds the limit of ${formatDuration(maxP95Ms)}`;
    }
    return marked;
  });
}

function edgeWarnings(strategy: Strategy, winner: Tier, measured: readonly Tier[]): string[] {
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
  if (winner.invocations < FEW_SAMPLES) {
    warnings.push(
      `only ${formatCount(winner.invocations, "invocation")} at ${winner.memoryMb} MB: the figures are rough`,
    );
  }
  return warnings;
}

/**
 * Recommends one of the measured sizes (never an unmeasured one, never one
 * with failures or over the p95 limit) and a timeout. Throws GateError when
 * sizes without failures exist but none meets the p95 limit.
 */
export function recommend(tiers: readonly Tier[], options: RecommendOptions): RecommendOutcome {
  const tolerance = checkOptions(options);
  const marked = markExclusions(tiers, options.maxP95Ms);
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
  if (eligible.length === 0) {
    const closest = best(withoutFailures, (t) => t.durationMs.p95);
    throw new GateError(
      `no memory size meets the p95 limit of ${formatDuration(options.maxP95Ms ?? 0)}: the closest is ` +
        `${closest.memoryMb} MB with p95 ${formatDuration(closest.durationMs.p95)}`,
      {
        hint: "raise the p95 limit, or measure larger memory sizes if the function can use more CPU",
      },
    );
  }

  const context: Context = { pricing: options.pricing, tolerance };
  const pick = PICKERS[options.strategy];
  const { winner, reason } = pick(eligible, context);
  const timeout = recommendTimeout(winner, marked, options.currentTimeoutSeconds);
  const recommendation: Recommendation = {
    memoryMb: winner.memoryMb,
    timeoutSeconds: timeout.timeoutSeconds,
    strategy: options.strategy,
    expectedDurationMs: winner.durationMs.median,
    expectedCostPerInvocationUsd: winner.costPerInvocationUsd,
    reason,
    timeoutReason: timeout.reason,
    warnings: [
      ...winner.warnings,
      ...edgeWarnings(options.strategy, winner, marked),
      ...timeout.warnings,
    ],
  };

  const others = eligible.filter((t) => t !== winner);
  if (others.length > 0) {
    // The runner-up is what the same strategy picks without the winner.
    const runnerUp = pick(others, context).winner;
    const difference = runnerUp.costPerInvocationUsd - winner.costPerInvocationUsd;
    const se = differenceStandardError(
      costStandardError(winner, options.pricing),
      costStandardError(runnerUp, options.pricing),
    );
    recommendation.confidence = {
      runnerUpMemoryMb: runnerUp.memoryMb,
      costDifference: difference,
      interval: [difference - 1.96 * se, difference + 1.96 * se],
      level: 0.95,
    };
  }
  return { recommendation, tiers: marked };
}
