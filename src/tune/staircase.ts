import { CFS_PERIOD_MS, MB_PER_VCPU } from "../lambda.js";
import { isColdStart } from "../logs/record.js";
import { expectedDurationMs } from "../model/cfs-phase.js";
import { isFailure } from "../model/stats.js";
import type { Observations } from "./plan.js";

/**
 * Functions faster than this at one vCPU or more are short: a few CFS periods,
 * so their duration falls in steps a smooth curve would hide.
 */
export const SHORT_FUNCTION_MS = 5 * CFS_PERIOD_MS;
/** The CPU time may differ this much from the one measured at one vCPU (a single call's noise). */
const MAX_WORK_SHIFT = 0.1;
/** Share of the probes below one vCPU that must agree with the CFS model. */
const MODEL_AGREEMENT = 0.75;
/**
 * Right of a predicted edge by this share: at the edge itself a call fits its
 * CPU into the quota only when its CPU time is not above average (bimodal).
 */
export const EDGE_MARGIN = 0.01;
/** Calls at an edge's size before it counts as located. */
export const EDGE_CALLS = 2;
/** Calls on a step before their median stands for the step's duration (one call is noisy). */
const LEVEL_CALLS = 2;
/** Steps whose predicted edge cost is within this share of the best are searched too. */
const STEP_TIE = 0.1;
/** At most this many steps are searched. */
const MAX_STEPS = 2;

/**
 * CPU quota per CFS period at `memoryMb`: memory/1,769 of a core
 * (docs/lambda-facts.md, "CPU throttling").
 */
function quotaMs(memoryMb: number): number {
  return (CFS_PERIOD_MS * Math.min(memoryMb, MB_PER_VCPU)) / MB_PER_VCPU;
}

/** Whole periods a call with `workMs` of CPU waits for its quota at `memoryMb`. */
export function throttledPeriods(workMs: number, memoryMb: number): number {
  return Math.max(0, Math.ceil(workMs / quotaMs(memoryMb) - 1e-9) - 1);
}

/**
 * Duration the CFS model predicts in production for a call that takes
 * `workMs` unthrottled: the mean over a uniformly random start phase (open
 * arrivals), ticks, debt and the runtime's work included (src/model/cfs-phase.ts).
 */
export function modelDurationMs(workMs: number, memoryMb: number): number {
  return expectedDurationMs(workMs, memoryMb);
}

/** Smallest memory at which `workMs` fits into k + 1 quotas: the left edge of step k. */
export function stepEdgeMb(workMs: number, k: number): number {
  return (MB_PER_VCPU * workMs) / (CFS_PERIOD_MS * (k + 1));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Durations of the warm calls at each measured size without failures: a cold
 * call's Duration holds one-off first-call work (docs/lambda-facts.md, "First calls").
 */
function durationsBySize(observations: Observations): Map<number, number[]> {
  const durations = new Map<number, number[]>();
  for (const [memoryMb, records] of observations) {
    if (records.length === 0 || records.some(isFailure)) continue;
    const warm = records.filter((record) => !isColdStart(record));
    if (warm.length > 0)
      durations.set(
        memoryMb,
        warm.map((record) => record.durationMs),
      );
  }
  return durations;
}

/** Throttled periods a measured duration shows: D = 20k + r with r in (0, quota]. */
function periodsSeen(durationMs: number, memoryMb: number): number {
  return Math.max(0, Math.round((durationMs - quotaMs(memoryMb) / 2) / CFS_PERIOD_MS));
}

/**
 * The CPU time per call at one vCPU (ms) when the probes say the function is
 * short and stepped, else undefined. A probe at one vCPU or more runs under
 * SHORT_FUNCTION_MS: unthrottled, its duration is the CPU time. Most probes
 * below must show the throttled periods the CFS model predicts; when they do
 * not, the CPU time moves to the nearest value (within MAX_WORK_SHIFT) where they do.
 */
export function detectWorkMs(
  observations: Observations,
  probes: readonly number[],
): number | undefined {
  const durations = durationsBySize(observations);
  const medians = probes.flatMap((memoryMb) => {
    const values = durations.get(memoryMb);
    return values === undefined ? [] : [{ memoryMb, ms: median(values) }];
  });
  const fast = medians.filter((p) => p.memoryMb >= MB_PER_VCPU);
  if (fast.length === 0) return undefined;
  const measured = Math.min(...fast.map((p) => p.ms));
  if (!(measured > 0 && measured < SHORT_FUNCTION_MS)) return undefined;
  const below = medians.filter((p) => p.memoryMb < MB_PER_VCPU);
  if (below.length < 2) return undefined;
  const agreeing = (workMs: number) =>
    below.filter((p) => throttledPeriods(workMs, p.memoryMb) === periodsSeen(p.ms, p.memoryMb))
      .length;
  const enough = MODEL_AGREEMENT * below.length;
  // Where each probe agrees is an interval of CPU times: the nearest agreeing one is at an end.
  const candidates = [measured];
  for (const p of below) {
    const k = periodsSeen(p.ms, p.memoryMb);
    candidates.push(
      k * quotaMs(p.memoryMb) * (1 + 1e-6),
      (k + 1) * quotaMs(p.memoryMb) * (1 - 1e-6),
    );
  }
  const shift = (workMs: number) => Math.abs(workMs / measured - 1);
  const fitting = candidates
    .filter((workMs) => shift(workMs) <= MAX_WORK_SHIFT && agreeing(workMs) >= enough)
    .sort((a, b) => shift(a) - shift(b) || a - b);
  return fitting[0];
}

interface Misses {
  /** The largest size near the step with a call on the slower step (0: none). */
  slowestMb: number;
  /** How many of those lie at or beyond the predicted edge: the prediction was wrong. */
  count: number;
}

interface Step {
  k: number;
  /** Left edge, where the CPU time first fits into k + 1 quotas. */
  edgeMb: number;
  /** Duration on the step: measured where a size inside has been, else the model's at the edge. */
  levelMs: number;
  misses: Misses;
  /**
   * Where the step is taken to start: right of its edge and of any size seen
   * slower. Each miss at or beyond the predicted edge doubles the stride, so
   * a far edge costs a few calls, not one per size.
   */
  startMb: number;
  /** Relative cost (memory x duration) of the step's first allowed size. */
  startCost: number;
}

function missesOf(
  workMs: number,
  k: number,
  edgeMb: number,
  thresholdMs: number,
  durations: Map<number, number[]>,
): Misses {
  let slowestMb = 0;
  let count = 0;
  for (const [memoryMb, values] of durations) {
    const periods = throttledPeriods(workMs, memoryMb);
    if ((periods !== k && periods !== k + 1) || values.every((ms) => ms <= thresholdMs)) continue;
    slowestMb = Math.max(slowestMb, memoryMb);
    if (memoryMb >= edgeMb) count++;
  }
  return { slowestMb, count };
}

/** The smallest measured size on step k above `memoryMb`. */
function firstMeasuredAbove(
  workMs: number,
  k: number,
  memoryMb: number,
  sizes: readonly number[],
  durations: Map<number, number[]>,
): number | undefined {
  return sizes.find((m) => m > memoryMb && throttledPeriods(workMs, m) === k && durations.has(m));
}

/** Calls well inside step k of each measured size, and not slower than k + 1 periods allow. */
function insideSteps(workMs: number, durations: Map<number, number[]>): Map<number, number[]> {
  const inside = new Map<number, number[]>();
  for (const [m, values] of durations) {
    const k = throttledPeriods(workMs, m);
    if (m < stepEdgeMb(workMs, k) * (1 + 2 * EDGE_MARGIN)) continue;
    const kept = values.filter((ms) => ms < CFS_PERIOD_MS * (k + 1));
    if (kept.length > 0) inside.set(m, kept);
  }
  return inside;
}

/**
 * How much slower than the production curve the calls measured well inside a
 * step ran (the median ratio; 1 with none): a closed measurement loop or a
 * slower host shifts every step alike, so unmeasured steps are predicted on
 * the same footing as measured ones.
 */
function measuredScale(workMs: number, inside: Map<number, number[]>): number {
  const ratios = [...inside].map(([m, values]) => median(values) / modelDurationMs(workMs, m));
  return ratios.length > 0 ? median(ratios) : 1;
}

function steps(workMs: number, sizes: readonly number[], durations: Map<number, number[]>): Step[] {
  const levels: { k: number; edgeMb: number; levelMs: number }[] = [];
  const inside = insideSteps(workMs, durations);
  const scale = measuredScale(workMs, inside);
  // The fastest step is the one holding one vCPU: above it a single thread runs no faster.
  const first = throttledPeriods(workMs, MB_PER_VCPU);
  const last = throttledPeriods(workMs, sizes[0]!);
  for (let k = first; k <= last; k++) {
    const edgeMb = stepEdgeMb(workMs, k);
    const onStep = [...inside]
      .filter(([m]) => throttledPeriods(workMs, m) === k)
      .flatMap(([, values]) => values);
    // With fewer calls than that, the production curve (random phase) just right of the edge.
    const levelMs =
      onStep.length >= LEVEL_CALLS
        ? median(onStep)
        : scale * modelDurationMs(workMs, edgeMb * (1 + EDGE_MARGIN));
    levels.push({ k, edgeMb, levelMs });
  }
  return levels.map((step, i) => {
    const slowerMs = levels[i + 1]?.levelMs ?? step.levelMs + CFS_PERIOD_MS;
    const threshold = Math.sqrt(step.levelMs * slowerMs);
    const misses = missesOf(workMs, step.k, step.edgeMb, threshold, durations);
    const stride = EDGE_MARGIN * 2 ** Math.max(0, misses.count - 1);
    let startMb = Math.max(step.edgeMb * (1 + EDGE_MARGIN), misses.slowestMb * (1 + stride));
    // A stride landed on the step: the edge lies between it and the last miss.
    const landed = firstMeasuredAbove(workMs, step.k, misses.slowestMb, sizes, durations);
    if (misses.count >= 2 && landed !== undefined && landed < startMb) {
      startMb = misses.slowestMb * (1 + EDGE_MARGIN);
    }
    const startCost = Math.max(sizes[0]!, startMb) * step.levelMs;
    return { ...step, misses, startMb, startCost };
  });
}

/**
 * The size to measure at the start of `step`; undefined once it has
 * EDGE_CALLS calls or none is left. After a stride wider than one margin,
 * first halves (geometrically) the gap back to the last size seen slower.
 */
function edgeSize(
  workMs: number,
  step: Step,
  sizes: readonly number[],
  durations: Map<number, number[]>,
  open: (memoryMb: number) => boolean,
): number | undefined {
  const onStep = sizes.filter((m) => throttledPeriods(workMs, m) === step.k);
  const { slowestMb, count } = step.misses;
  const high = firstMeasuredAbove(workMs, step.k, slowestMb, sizes, durations);
  if (count >= 2 && high !== undefined) {
    const between = onStep.filter((m) => m >= step.startMb && m < high && open(m));
    const middle = Math.sqrt(slowestMb * high);
    if (between.length > 0) {
      return between.reduce((a, b) => (Math.abs(b - middle) < Math.abs(a - middle) ? b : a));
    }
  }
  for (const memoryMb of onStep) {
    if (memoryMb < step.startMb) continue;
    const calls = durations.get(memoryMb)?.length ?? 0;
    if (calls >= EDGE_CALLS) return undefined;
    if (open(memoryMb)) return memoryMb;
  }
  return undefined;
}

/**
 * Next size to measure on a short function's staircase, or undefined when the
 * edges worth having are measured. Within a CFS step the duration is flat, so
 * cost grows with memory and the step's cheapest size is its left edge: the
 * search goes to the predicted edges of the steps whose edge promises the
 * lowest cost (duration x memory), and to the right of any call seen slower.
 */
export function staircaseSize(
  workMs: number,
  sizes: readonly number[],
  observations: Observations,
  open: (memoryMb: number) => boolean,
): number | undefined {
  const durations = durationsBySize(observations);
  const ranked = steps(workMs, sizes, durations).sort(
    (a, b) => a.startCost - b.startCost || a.k - b.k,
  );
  const best = ranked[0];
  if (best === undefined) return undefined;
  for (const step of ranked.slice(0, MAX_STEPS)) {
    if (step.startCost > best.startCost * (1 + STEP_TIE)) break;
    const next = edgeSize(workMs, step, sizes, durations, open);
    if (next !== undefined) return next;
  }
  return undefined;
}
