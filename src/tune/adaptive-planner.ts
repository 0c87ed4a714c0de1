import type { Strategy } from "../document/result.js";
import type { ReportRecord } from "../logs/record.js";
import type { PayloadMix } from "../model/payload-mix.js";
import type { Pricing } from "../model/pricing.js";
import { studentTQuantile } from "../model/quantiles.js";
import { DEFAULT_TIE_TOLERANCE, MIN_WARM_CALLS_TO_COMPARE, recommend } from "../model/recommend.js";
import { buildTiers } from "../model/stats.js";
import { type CostParabola, fitCostParabola, parabolaCost } from "./cost-parabola.js";
import type { Observations, Planner, PlanStep } from "./plan.js";
import { nearestSize, probeSizes } from "./probe-sizes.js";
import {
  type Estimates,
  estimateSizes,
  type SizeEstimate,
  signedSeparation,
} from "./size-estimates.js";
import { detectWorkMs, staircaseSize } from "./staircase.js";

/** Warm calls at a size before it may be recommended (and compared with an interval). */
export const MIN_CALLS_TO_RECOMMEND = MIN_WARM_CALLS_TO_COMPARE;
/** Two-sided confidence that a settled winner is cheaper than each measured contender. */
export const SETTLED_CONFIDENCE = 0.95;
/** Share of the budget kept back from the search for settling the winner. */
const SETTLE_SHARE = 0.3;
/**
 * Gaps narrower than this share of the size, or than the relative noise of one
 * call, are not split: within a CFS step cost grows in proportion to memory
 * (docs/lambda-facts.md, "CPU throttling"), so sizes closer than the noise
 * differ by noise only.
 */
const MIN_GAP_SHARE = 0.03;
/** Calls per settling step. */
const SETTLE_CALLS = 2;
/**
 * A size measured only cold gets its second (warm) call when its guessed warm
 * cost is less than this many standard errors above the cheapest warm one:
 * it might be the cheaper, and a cold call cannot say (docs/lambda-facts.md, "First calls").
 */
const WARM_UP_Z = 2;

export interface AdaptivePlannerOptions {
  /** Total invocations the sweep may spend. */
  budget: number;
  /** Sizes that may be measured (replay: the recorded ones; else the `--memory` range). */
  sizes: readonly number[];
  pricing: Pricing;
  strategy?: Strategy;
  /** Invocations each size can serve when limited (replay), before the sweep. */
  capacity?: ReadonlyMap<number, number>;
  /** Sizes this much dearer than the cheapest count as equally cheap (recommend()'s band). */
  tieTolerance?: number;
  /** Several payloads: a size is compared once each has a warm call there; calls go in rounds. */
  mix?: PayloadMix;
  /**
   * Sizes that get MIN_CALLS_TO_RECOMMEND warm calls (a round each with a
   * mix) right after the probes, whatever the search finds: the size a
   * regression gate compares with its baseline (src/model/gate.ts).
   */
  anchors?: readonly number[];
}

/** Why the planner stopped, once it has. */
export type StopReason = "settled" | "budget" | "exhausted";

export interface AdaptivePlanner extends Planner {
  /** Undefined while the planner still has steps to give. */
  readonly stopReason: StopReason | undefined;
}

interface Context {
  budget: number;
  sizes: readonly number[];
  probes: readonly number[];
  pricing: Pricing;
  strategy: Strategy;
  capacity: ReadonlyMap<number, number> | undefined;
  tieTolerance: number;
  mix: PayloadMix | undefined;
  /** Calls in one round of the payload mix (1 without a mix). */
  round: number;
  anchors: readonly number[];
}

type Decision = { step: PlanStep } | { stop: StopReason };

function callsMade(observations: Observations): number {
  let total = 0;
  for (const records of observations.values()) total += records.length;
  return total;
}

function remainingCapacity(context: Context, observations: Observations, memoryMb: number): number {
  const capacity = context.capacity?.get(memoryMb);
  if (context.capacity === undefined) return Number.POSITIVE_INFINITY;
  return (capacity ?? 0) - (observations.get(memoryMb)?.length ?? 0);
}

function step(
  context: Context,
  observations: Observations,
  memoryMb: number,
  wanted: number,
  left: number,
): Decision | undefined {
  const invocations = Math.min(wanted, left, remainingCapacity(context, observations, memoryMb));
  return invocations > 0 ? { step: { memoryMb, invocations } } : undefined;
}

/**
 * Optimism per unit of ln(memory) of an unmeasured gap: how much cheaper than
 * its ends a gap that wide may hide. A CFS step
 * (docs/lambda-facts.md, "CPU throttling") hides ~15% inside a doubling; a
 * smooth curve far less.
 */
const GAP_OPTIMISM = 0.05;

interface Gap {
  low: number;
  high: number;
  /** Relative to the cheapest measured cost; lower is more promising. */
  score: number;
}

function splitAt(
  context: Context,
  observations: Observations,
  measured: ReadonlySet<number>,
  gap: Gap,
  relativeNoise: number,
): number | undefined {
  if (gap.high - gap.low < Math.max(MIN_GAP_SHARE, relativeNoise) * gap.high) return undefined;
  const inside = context.sizes.filter(
    (size) =>
      size > gap.low &&
      size < gap.high &&
      !measured.has(size) &&
      remainingCapacity(context, observations, size) > 0,
  );
  if (inside.length === 0) return undefined;
  return nearestSize(inside, (gap.low + gap.high) / 2);
}

/**
 * Next size of the search: the middle of the most promising gap between
 * measured sizes, where promise is the cheaper end's cost less an allowance
 * for the gap's width (in the spirit of DIRECT), or the size where the cost
 * parabola predicts the minimum when that beats every gap. Beyond the
 * measured range only when its edge is the cheapest, by a factor of two.
 * Steps in the duration (CFS, docs/lambda-facts.md, "CPU throttling") are
 * found by measuring: a smooth curve does not see them, so it only
 * proposes.
 */
function searchSize(
  context: Context,
  estimates: readonly SizeEstimate[],
  best: SizeEstimate,
  parabola: CostParabola | null,
  observations: Observations,
  relativeNoise: number,
): number | undefined {
  const measured = new Set(estimates.map((e) => e.memoryMb));
  const clean = estimates.filter((e) => !e.failed);
  const relative = (cost: number) => cost / best.meanCostUsd - 1;
  const gaps: Gap[] = [];
  const gap = (low: number, high: number, endCost: number) =>
    gaps.push({ low, high, score: relative(endCost) - GAP_OPTIMISM * Math.log(high / low) });
  clean.forEach((e, i) => {
    const next = clean[i + 1];
    if (next !== undefined)
      gap(e.memoryMb, next.memoryMb, Math.min(e.meanCostUsd, next.meanCostUsd));
  });
  const smallest = context.sizes[0]!;
  const largest = context.sizes.at(-1)!;
  if (best === clean[0] && best.memoryMb > smallest) {
    gap(Math.max(smallest, best.memoryMb / 2), best.memoryMb, best.meanCostUsd);
  }
  if (best === clean.at(-1) && best.memoryMb < largest) {
    gap(best.memoryMb, Math.min(largest, best.memoryMb * 2), best.meanCostUsd);
  }
  const candidates: { memoryMb: number; score: number }[] = [];
  for (const g of gaps) {
    const memoryMb = splitAt(context, observations, measured, g, relativeNoise);
    if (memoryMb !== undefined) candidates.push({ memoryMb, score: g.score });
  }
  if (parabola !== null) {
    // As for gaps: a size closer to a measured one than the noise would tell nothing new.
    const apart = Math.max(MIN_GAP_SHARE, relativeNoise);
    const near = (size: number) =>
      [...measured].some((m) => Math.abs(size - m) < (apart * Math.max(size, m)) / 2);
    const open = context.sizes.filter(
      (size) =>
        !measured.has(size) &&
        !near(size) &&
        size >= clean[0]!.memoryMb &&
        size <= clean.at(-1)!.memoryMb &&
        remainingCapacity(context, observations, size) > 0,
    );
    if (open.length > 0) {
      const predicted = open.reduce((a, b) =>
        parabolaCost(parabola, a) <= parabolaCost(parabola, b) ? a : b,
      );
      candidates.push({ memoryMb: predicted, score: relative(parabolaCost(parabola, predicted)) });
    }
  }
  // Only where the optimistic cost beats the cheapest measured: the rest of the budget settles.
  const promising = candidates.filter((c) => c.score < 0);
  promising.sort((a, b) => a.score - b.score || a.memoryMb - b.memoryMb);
  return promising[0]?.memoryMb;
}

function flatten(observations: Observations): ReportRecord[] {
  return [...observations.values()].flat();
}

/**
 * A size measured only cold is not compared until it has a warm call: the
 * cold-only size whose guessed cost might undercut the cheapest warm size
 * gets its second call (while no size has a warm call, the cheapest cold one).
 */
function warmUp(
  context: Context,
  observations: Observations,
  estimates: Estimates,
  left: number,
): Decision | undefined {
  const clean = estimates.sizes.filter(
    (e) => !e.failed && remainingCapacity(context, observations, e.memoryMb) > 0,
  );
  const guesses = clean
    .filter((e) => e.basis === "guess")
    .sort((a, b) => a.meanCostUsd - b.meanCostUsd || a.memoryMb - b.memoryMb);
  const bestWarm = estimates.sizes
    .filter((e) => !e.failed && e.basis === "warm")
    .sort((a, b) => a.meanCostUsd - b.meanCostUsd)[0];
  const next =
    bestWarm === undefined
      ? guesses[0]
      : guesses.find((g) => signedSeparation(g, bestWarm) < WARM_UP_Z);
  if (next === undefined) return undefined;
  // The rest of the first round: each payload's warm call.
  const wanted = Math.max(1, context.round + 1 - next.calls);
  return step(context, observations, next.memoryMb, wanted, left);
}

/**
 * The anchors' warm calls: a gate compares its size only with enough of them.
 * A size that failed gets no more: the gate reports its failures as they are.
 */
function anchor(
  context: Context,
  observations: Observations,
  estimates: Estimates,
  left: number,
): Decision | undefined {
  const minimum = Math.max(MIN_CALLS_TO_RECOMMEND, context.round);
  for (const memoryMb of context.anchors) {
    const estimate = estimates.sizes.find((e) => e.memoryMb === memoryMb);
    if (estimate?.failed) continue;
    const warm = estimate?.warmCalls ?? 0;
    if (warm >= minimum) continue;
    // The first call at a size is cold on a live target: it counts for nothing here.
    const wanted = minimum - warm + (estimate === undefined ? 1 : 0);
    const more = step(context, observations, memoryMb, wanted, left);
    if (more !== undefined) return more;
  }
  return undefined;
}

/**
 * Settling: the size recommend() would pick gets at least
 * MIN_CALLS_TO_RECOMMEND warm calls; then, while some measured size could
 * still be cheaper than it by more than the tie tolerance at
 * SETTLED_CONFIDENCE (t on the pooled noise's degrees of freedom: a few calls
 * say little about their own spread), calls go to whichever of the winner
 * and its likeliest challenger is less certain; a challenger measured only
 * cold gets its warm call first.
 */
function settle(
  context: Context,
  observations: Observations,
  estimates: Estimates,
  left: number,
): Decision {
  const tiers = buildTiers(flatten(observations), context.pricing, {
    ...(context.mix !== undefined && { mix: context.mix }),
  });
  const outcome = recommend(tiers, {
    strategy: context.strategy,
    pricing: context.pricing,
    tieTolerance: context.tieTolerance,
  });
  if (outcome.recommendation === null) return { stop: "exhausted" };
  const winnerMb = outcome.recommendation.memoryMb;
  const winner = estimates.sizes.find((e) => e.memoryMb === winnerMb)!;
  const minimum = Math.max(MIN_CALLS_TO_RECOMMEND, context.round);
  if (winner.warmCalls < minimum) {
    const wanted = minimum - winner.warmCalls;
    const more = step(context, observations, winnerMb, wanted, left);
    if (more !== undefined) return more;
  }
  const threshold = studentTQuantile(
    1 - (1 - SETTLED_CONFIDENCE) / 2,
    Math.max(1, estimates.noiseDegrees),
  );
  const tie = context.tieTolerance;
  const contenders = estimates.sizes
    .filter((e) => !e.failed && e !== winner && signedSeparation(e, winner, tie) < threshold)
    .filter((e) => remainingCapacity(context, observations, e.memoryMb) > 0)
    .sort(
      (a, b) =>
        signedSeparation(a, winner, tie) - signedSeparation(b, winner, tie) ||
        a.memoryMb - b.memoryMb,
    );
  const challenger = contenders[0];
  if (challenger === undefined) return { stop: "settled" };
  if (challenger.basis === "guess") {
    const wanted = Math.max(1, context.round + 1 - challenger.calls);
    const warm = step(context, observations, challenger.memoryMb, wanted, left);
    if (warm !== undefined) return warm;
  }
  const pair = [winner, challenger].sort((a, b) => b.standardErrorUsd - a.standardErrorUsd);
  const calls = context.round > 1 ? context.round : SETTLE_CALLS;
  for (const candidate of pair) {
    const more = step(context, observations, candidate.memoryMb, calls, left);
    if (more !== undefined) return more;
  }
  return { stop: "exhausted" };
}

/** The pure decision: what to measure next given everything measured so far. */
export function decideNextStep(context: Context, observations: Observations): Decision {
  const left = context.budget - callsMade(observations);
  if (left <= 0) return { stop: "budget" };
  for (const probe of context.probes) {
    if ((observations.get(probe)?.length ?? 0) > 0) continue;
    const probeStep = step(context, observations, probe, 1, left);
    if (probeStep !== undefined) return probeStep;
  }
  const estimated = estimateSizes(observations, context.pricing, context.mix);
  const estimates = estimated.sizes;
  const clean = estimates.filter((e) => !e.failed);
  if (clean.length === 0) {
    // Every size measured so far failed: look higher, where out-of-memory failures stop.
    const measuredMax = Math.max(...estimates.map((e) => e.memoryMb));
    const higher = context.sizes.filter(
      (s) => s > measuredMax && remainingCapacity(context, observations, s) > 0,
    );
    if (higher.length === 0) return { stop: "exhausted" };
    return (
      step(context, observations, nearestSize(higher, measuredMax * 2), 1, left) ?? {
        stop: "exhausted",
      }
    );
  }
  const anchorStep = anchor(context, observations, estimated, left);
  if (anchorStep !== undefined) return anchorStep;
  const warmUpStep = warmUp(context, observations, estimated, left);
  if (warmUpStep !== undefined) return warmUpStep;
  const best = clean
    .filter((e) => e.basis === "warm")
    .sort((a, b) => a.meanCostUsd - b.meanCostUsd)[0];
  if (best === undefined) return settle(context, observations, estimated, left);
  // A short, stepped function: the candidates are the CFS step edges, not a smooth curve's minimum.
  const workMs = detectWorkMs(observations, context.probes);
  if (workMs !== undefined) {
    const open = (memoryMb: number) => remainingCapacity(context, observations, memoryMb) > 0;
    const edge = staircaseSize(workMs, context.sizes, observations, open);
    const edgeStep = edge === undefined ? undefined : step(context, observations, edge, 1, left);
    return edgeStep ?? settle(context, observations, estimated, left);
  }
  if (left > Math.ceil(SETTLE_SHARE * context.budget)) {
    // One call is a poor incumbent: a lucky draw would steer the whole search.
    if (best.warmCalls < 2) {
      const confirm = step(context, observations, best.memoryMb, context.round, left);
      if (confirm !== undefined) return confirm;
    }
    const next = searchSize(
      context,
      estimates,
      best,
      fitCostParabola(clean),
      observations,
      estimated.relativeNoise,
    );
    if (next !== undefined) {
      const searchStep = step(context, observations, next, 1, left);
      if (searchStep !== undefined) return searchStep;
    }
  }
  return settle(context, observations, estimated, left);
}

/**
 * A planner that spends at most `budget` invocations: one call at each probe
 * size, a bracket search around the cheapest measured size (for a short
 * function whose probes follow the CFS staircase: its predicted step edges
 * instead, src/tune/staircase.ts), then calls that settle the recommendation;
 * it stops early once settled. Deterministic: the same observations give the
 * same step.
 */
export function createAdaptivePlanner(options: AdaptivePlannerOptions): AdaptivePlanner {
  if (!Number.isInteger(options.budget) || options.budget < 1) {
    throw new RangeError(`budget must be a whole number above 0, not ${options.budget}`);
  }
  const sizes = [...new Set(options.sizes)].sort((a, b) => a - b);
  if (sizes.length === 0) throw new RangeError("the adaptive planner needs at least one size");
  const context: Context = {
    budget: options.budget,
    sizes,
    probes: probeSizes(sizes),
    pricing: options.pricing,
    strategy: options.strategy ?? "cost",
    capacity: options.capacity,
    tieTolerance: options.tieTolerance ?? DEFAULT_TIE_TOLERANCE,
    mix: options.mix,
    round: options.mix?.weights.length ?? 1,
    anchors: (options.anchors ?? []).filter((size) => sizes.includes(size)),
  };
  let stopReason: StopReason | undefined;
  let callsAtLastStep = -1;
  return {
    totalSteps: undefined,
    get stopReason() {
      return stopReason;
    },
    next(observations) {
      if (stopReason !== undefined) return undefined;
      const made = callsMade(observations);
      // The target served nothing for the last step (capacity ran out): nothing more to learn.
      if (made === callsAtLastStep) {
        stopReason = "exhausted";
        return undefined;
      }
      const decision = decideNextStep(context, observations);
      if ("stop" in decision) {
        stopReason = decision.stop;
        return undefined;
      }
      callsAtLastStep = made;
      return decision.step;
    },
  };
}
