import type { Strategy, Tier } from "../document/result.js";
import { formatDuration, formatMb, formatPercent, formatTimes, formatUsd } from "../format.js";
import {
  bandMembers,
  bandWords,
  best,
  byMedian,
  type CostContext,
  clearlyInside,
  measuredInside,
} from "./band.js";
import { medianStandardError, withinNoise } from "./noise.js";

/** A strategy's choice among the eligible sizes, and why in words and numbers. */
export interface Pick {
  winner: Tier;
  reason: string;
}

/** How many times faster `fast` is than `slow`, by median duration. */
function speedup(fast: Tier, slow: Tier): string {
  return formatTimes(slow.durationMs.median / Math.max(fast.durationMs.median, 1e-9));
}

/**
 * Whether `t` runs faster than `than` by more than noise: on a CFS step
 * (docs/lambda-facts.md, "CPU throttling") every size runs equally fast, and a
 * median lower by chance would hand the pick to a dearer size.
 */
function fasterBeyondNoise(t: Tier, than: Tier): boolean {
  const a = t.durationMs.median;
  const b = than.durationMs.median;
  return a < b && !withinNoise(a, medianStandardError(t), b, medianStandardError(than));
}

function price(tier: Tier, context: CostContext): string {
  return `${formatUsd(context.cost(tier) * 1e6)} per 1M invocations, median ${formatDuration(tier.durationMs.median)}`;
}

/** "1,792 MB is" or "3 faster sizes (1,536-1,792 MB) are". */
function fasterWords(tiers: readonly Tier[]): string {
  if (tiers.length === 1) return `${formatMb(tiers[0]!.memoryMb)} MB is faster`;
  const sizes = tiers.map((t) => t.memoryMb);
  return `${formatMb(Math.min(...sizes))}-${formatMb(Math.max(...sizes))} MB (${tiers.length} sizes) are faster`;
}

/**
 * `cost`: the sizes in the band cost the same; the fastest of them whose
 * measured cost is within the tolerance wins (of sizes equally fast within
 * noise, the cheaper). A faster size in the band only by noise is named, not
 * picked.
 */
function pickCost(eligible: readonly Tier[], context: CostContext): Pick {
  const members = bandMembers(eligible, context);
  const inside = members.filter((t) => measuredInside(t, eligible, context));
  const fastest = best(inside, byMedian, context.cost);
  const tied = inside.filter((t) => t === fastest || !fasterBeyondNoise(fastest, t));
  const winner = best(tied, context.cost, byMedian);
  const size = `${formatMb(winner.memoryMb)} MB`;
  const tolerance = formatPercent(context.tie);
  if (members.length === 1) {
    return { winner, reason: `${size} is the cheapest: ${price(winner, context)}` };
  }
  const doubtful = members.filter((t) => !clearlyInside(t, eligible, context));
  const outside = members.filter((t) => !inside.includes(t));
  const verb = doubtful.length === 0 ? "cost the same" : "may cost the same";
  const within = `${bandWords(members, eligible)} ${verb} within ${tolerance}`;
  let picked =
    winner === fastest
      ? `${size} is the fastest of them`
      : `${size} is the cheaper of the fastest, equally fast within noise`;
  if (outside.length > 0) picked += ` measured within ${tolerance}`;
  const notes: string[] = [];
  const slowest = best(members, (t) => -t.durationMs.median);
  // "1x faster" says nothing: only a speed-up of at least 5% is named.
  if (slowest.durationMs.median >= 1.05 * winner.durationMs.median) {
    notes.push(`${speedup(winner, slowest)} faster than ${formatMb(slowest.memoryMb)} MB`);
  }
  const faster = outside.filter((t) => fasterBeyondNoise(t, winner));
  if (faster.length > 0) notes.push(`${fasterWords(faster)} but may be over ${tolerance} dearer`);
  const detail = notes.length === 0 ? "" : ` (${notes.join("; ")})`;
  return { winner, reason: `${within}; ${picked}${detail}: ${price(winner, context)}` };
}

function pickSpeed(eligible: readonly Tier[], context: CostContext): Pick {
  const fastest = best(eligible, byMedian, context.cost);
  const tied = eligible.filter((t) =>
    withinNoise(
      t.durationMs.median,
      medianStandardError(t),
      fastest.durationMs.median,
      medianStandardError(fastest),
    ),
  );
  const winner = best(tied, context.cost, byMedian);
  const size = `${formatMb(winner.memoryMb)} MB`;
  if (winner === fastest) {
    return { winner, reason: `${size} is the fastest: ${price(winner, context)}` };
  }
  const cheaper = 1 - context.cost(winner) / context.cost(fastest);
  return {
    winner,
    reason:
      `${size} is as fast as the fastest, ${formatMb(fastest.memoryMb)} MB ` +
      `(${formatDuration(fastest.durationMs.median)}), within measurement noise, and ` +
      `${formatPercent(cheaper)} cheaper: ${price(winner, context)}`,
  };
}

function pickBalanced(eligible: readonly Tier[], context: CostContext): Pick {
  const cheapest = best(eligible, context.cost, byMedian);
  const limit = context.cost(cheapest) * (1 + context.tolerance);
  const affordable = eligible.filter((t) => context.cost(t) <= limit);
  const winner = best(affordable, byMedian, context.cost);
  const size = `${formatMb(winner.memoryMb)} MB`;
  const within = `within ${formatPercent(context.tolerance)} of the cheapest cost`;
  if (winner === cheapest) {
    return {
      winner,
      reason: `${size} is the cheapest, and no size ${within} is faster: ${price(winner, context)}`,
    };
  }
  const dearer = context.cost(winner) / context.cost(cheapest) - 1;
  return {
    winner,
    reason:
      `${size} is the fastest size ${within} (${formatMb(cheapest.memoryMb)} MB): ` +
      `${formatPercent(dearer)} dearer, ${speedup(winner, cheapest)} faster: ${price(winner, context)}`,
  };
}

export const PICKERS: Record<Strategy, (eligible: readonly Tier[], context: CostContext) => Pick> =
  {
    cost: pickCost,
    speed: pickSpeed,
    balanced: pickBalanced,
  };
