import type { Band, Strategy, Tier } from "../document/result.js";
import { formatMb, formatPercent } from "../format.js";
import { NOISE_STANDARD_ERRORS } from "./noise.js";

/** z of a two-sided 95% interval. */
const Z95 = 1.959963984540054;

/** What the band's advice needs from the recommendation's options. */
export interface BandOptions {
  strategy: Strategy;
  coldStartRate?: number;
  /** How the user gets `warmCallsPerSize` warm calls at each of `sizes`, in words. */
  moreCalls?: (warmCallsPerSize: number, sizes: readonly Tier[]) => string;
}

/** The costs a recommendation compares, and their noise. */
export interface CostContext {
  /** `balanced`'s tolerance over the cheapest. */
  tolerance: number;
  /** `--tie-tolerance`: the band's width over the cheapest. */
  tie: number;
  /** The cost that decides: the steady state's, or production's with a cold-start rate. */
  cost: (tier: Tier) => number;
  /** Standard error of `cost`. */
  se: (tier: Tier) => number;
}

/** Ascending by `key`, then by the tie-breakers, then by memory (deterministic). */
export function best(tiers: readonly Tier[], ...keys: ((t: Tier) => number)[]): Tier {
  const sorted = [...tiers].sort((a, b) => {
    for (const key of keys) {
      const d = key(a) - key(b);
      if (d !== 0) return d;
    }
    return a.memoryMb - b.memoryMb;
  });
  return sorted[0]!;
}

export const byMedian = (t: Tier) => t.durationMs.median;

/**
 * How far a cost may lie from the band's edge, in standard errors of its
 * difference to the cheapest, before the data say on which side it is.
 */
const EDGE_NOISE_Z = NOISE_STANDARD_ERRORS;

/** The cheapest size and the edge of the band: the cheapest cost plus the tolerance. */
function edgeOf(
  eligible: readonly Tier[],
  context: CostContext,
): { cheapest: Tier; limit: number } {
  const cheapest = best(eligible, context.cost, byMedian);
  return { cheapest, limit: context.cost(cheapest) * (1 + context.tie) };
}

/** Standard errors between `t`'s cost and the band's edge (positive: beyond it). */
function beyondEdge(t: Tier, eligible: readonly Tier[], context: CostContext): number {
  const { cheapest, limit } = edgeOf(eligible, context);
  if (t === cheapest) return Number.NEGATIVE_INFINITY;
  // A relative slack of 1e-9 keeps exactly equal costs in whatever order they were summed.
  const distance = context.cost(t) - limit * (1 + 1e-9);
  const se = Math.hypot(context.se(t), (1 + context.tie) * context.se(cheapest));
  if (se > 0) return distance / se;
  return distance > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}

/**
 * The band: the measured sizes whose cost may be within `tie` of the
 * cheapest, that is within the tolerance or within noise of it. Thin
 * evidence widens it; more calls narrow it to the sizes truly within. Ascending.
 */
export function bandMembers(eligible: readonly Tier[], context: CostContext): Tier[] {
  return eligible
    .filter((t) => beyondEdge(t, eligible, context) < EDGE_NOISE_Z)
    .sort((a, b) => a.memoryMb - b.memoryMb);
}

/** Inside the band beyond noise: what the data say is within the tolerance. */
export function clearlyInside(t: Tier, eligible: readonly Tier[], context: CostContext): boolean {
  return beyondEdge(t, eligible, context) <= -EDGE_NOISE_Z;
}

/**
 * Inside the band by its measured cost: what `cost` picks from. A margin of
 * noise on top (picking only what is clearly inside) made the pick the
 * cheapest by chance on a flat curve, a different size each run.
 */
export function measuredInside(t: Tier, eligible: readonly Tier[], context: CostContext): boolean {
  return beyondEdge(t, eligible, context) <= 0;
}

/** "128-1,792 MB" when the band holds every eligible size in its range, else the list. */
export function bandWords(members: readonly Tier[], eligible: readonly Tier[]): string {
  const low = members[0]!.memoryMb;
  const high = members.at(-1)!.memoryMb;
  const inRange = eligible.filter((t) => t.memoryMb >= low && t.memoryMb <= high);
  if (inRange.length === members.length) return `${formatMb(low)}-${formatMb(high)} MB`;
  const names = members.map((t) => formatMb(t.memoryMb));
  if (names.length > 5)
    return `${names.length} sizes from ${formatMb(low)} to ${formatMb(high)} MB`;
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)} MB`;
}

/** Calls behind a size's deciding cost: warm ones, or cold ones when every call is cold. */
export function decidingCalls(tier: Tier, coldStartRate?: number): number {
  return coldStartRate === 1 ? tier.coldStarts : tier.warmInvocations;
}

/**
 * The band and how finely it is resolved: the 95% half-width of the winner's
 * cost difference to the cheapest (or to the runner-up when the winner is the
 * cheapest), relative to the cheapest's cost. When that is coarser than the
 * tolerance, how many warm calls per size would resolve it.
 */
export function bandOf(
  eligible: readonly Tier[],
  winner: Tier,
  runnerUp: Tier | undefined,
  context: CostContext,
  options: BandOptions,
): Band {
  const members = bandMembers(eligible, context);
  const cheapest = best(eligible, context.cost, byMedian);
  const other = winner !== cheapest ? cheapest : runnerUp;
  const spread =
    other === undefined
      ? Math.SQRT2 * context.se(winner)
      : Math.hypot(context.se(winner), context.se(other));
  const resolution = (Z95 * spread) / context.cost(cheapest);
  const band: Band = {
    tolerance: context.tie,
    cheapestMemoryMb: cheapest.memoryMb,
    sizes: members.map((t) => t.memoryMb),
    resolution,
  };
  // Advice only where thin evidence leaves the band in doubt: some size lies
  // within noise of its edge. A clear winner needs no more calls.
  const doubtful = members.some((t) => !clearlyInside(t, eligible, context));
  if (options.strategy === "cost" && context.tie > 0 && resolution > context.tie && doubtful) {
    const pair = [winner, ...(other === undefined ? [] : [other])];
    const calls = Math.max(
      1,
      Math.min(...pair.map((t) => decidingCalls(t, options.coldStartRate))),
    );
    const needed = Math.ceil(calls * (resolution / context.tie) ** 2);
    const more = options.moreCalls?.(needed, pair) ?? `about ${needed} warm calls per size`;
    const per = calls === 1 ? "1 warm call" : `${calls} warm calls`;
    band.advice =
      `costs are known to ±${formatPercent(resolution)} from ${per} per size; ` +
      `${more} would tell sizes ${formatPercent(context.tie)} apart`;
  }
  return band;
}
