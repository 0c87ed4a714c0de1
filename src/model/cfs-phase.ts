/**
 * What production sees: calls that arrive at a uniformly random point of the
 * sandbox's CFS period (open arrivals), each into an idle sandbox with a full
 * quota. The duration is a step function of the start phase; its pieces are
 * found exactly by running the mechanism on numbers that also carry their
 * slope in the phase and noting where the first comparison would flip.
 */
import {
  type Arithmetic,
  type CfsBandwidth,
  lambdaBandwidth,
  plainArithmetic,
  RUNTIME_OVERHEAD_MS,
  runCpu,
} from "./cfs-bandwidth.js";

/** A value at the phase `origin` and its change per ms of phase. */
interface Affine {
  value: number;
  slope: number;
}

/** Affine arithmetic that records the nearest phase above `origin` where a decision would change. */
function affineArithmetic(origin: number): Arithmetic<Affine> & { flipAt: number } {
  const tracker = {
    flipAt: Number.POSITIVE_INFINITY,
    constant: (value: number): Affine => ({ value, slope: 0 }),
    add: (a: Affine, b: Affine): Affine => ({ value: a.value + b.value, slope: a.slope + b.slope }),
    subtract: (a: Affine, b: Affine): Affine => ({
      value: a.value - b.value,
      slope: a.slope - b.slope,
    }),
    atMost(a: Affine, b: Affine): boolean {
      const gap = b.value - a.value;
      const rate = a.slope - b.slope;
      note(gap, rate);
      note(-gap, -rate);
      return a.value <= b.value;
    },
    gridIndex(t: Affine, step: number): number {
      const index = plainArithmetic.gridIndex(t.value, step);
      // The index changes where t reaches the next grid line (or leaves this one).
      note((index + 1) * step - t.value, t.slope);
      note(t.value - index * step, -t.slope);
      return index;
    },
  };
  /** A quantity `gap` above zero that shrinks by `rate` per ms of phase reaches zero at origin + gap / rate. */
  function note(gap: number, rate: number): void {
    if (rate <= 0) return;
    const at = origin + gap / rate;
    if (at > origin) tracker.flipAt = Math.min(tracker.flipAt, at);
  }
  return tracker;
}

/** Calls whose duration is spread evenly over [minMs, maxMs] (a point when equal). */
export interface PhaseOutcome {
  minMs: number;
  maxMs: number;
  /** Share of start phases that give a duration in this range. */
  probability: number;
}

// Pieces narrower than this are merged into their neighbour (far below any timer's precision).
const MIN_PIECE_MS = 1e-7;
const round = (ms: number) => Math.round(ms * 1e6) / 1e6;

/**
 * The durations a call (handler `workMs`, runtime `overheadMs`, as
 * CfsSandbox.call runs them) takes when it starts at a uniformly random
 * phase of an idle sandbox. On each piece of phases the same ticks, refills
 * and throttles happen, so the duration is constant or moves linearly with
 * the phase (a call throttled in its runtime work waits until a fixed refill).
 */
export function phaseDistribution(
  bw: CfsBandwidth,
  workMs: number,
  overheadMs = RUNTIME_OVERHEAD_MS,
): PhaseOutcome[] {
  if (!(workMs >= 0)) throw new RangeError(`workMs must be 0 or more, got ${workMs}`);
  if (!(overheadMs >= 0)) throw new RangeError(`overheadMs must be 0 or more, got ${overheadMs}`);
  const points = new Map<number, number>();
  const ranges: PhaseOutcome[] = [];
  let phase = 0;
  while (phase < bw.periodMs) {
    // Evaluated just inside the piece, so a decision exactly at its start does not count.
    const origin = phase + MIN_PIECE_MS / 2;
    const ar = affineArithmetic(origin);
    const start = { atMs: { value: origin, slope: 1 }, budgetMs: ar.constant(bw.quotaMs) };
    const handled = runCpu(ar, bw, start, ar.constant(workMs), "tick");
    const end = runCpu(ar, bw, handled, ar.constant(overheadMs), "exact");
    const pieceEnd = Math.min(bw.periodMs, Math.max(ar.flipAt, phase + MIN_PIECE_MS));
    const probability = (pieceEnd - phase) / bw.periodMs;
    const durationAt = (p: number) => end.atMs.value + end.atMs.slope * (p - origin) - p;
    const first = round(durationAt(phase));
    const last = round(durationAt(pieceEnd));
    if (first === last) points.set(first, (points.get(first) ?? 0) + probability);
    else ranges.push({ minMs: Math.min(first, last), maxMs: Math.max(first, last), probability });
    phase = pieceEnd;
  }
  for (const [ms, probability] of points) ranges.push({ minMs: ms, maxMs: ms, probability });
  return ranges.sort((a, b) => a.minMs - b.minMs || a.maxMs - b.maxMs);
}

/** Mean duration over a uniformly random start phase. */
export function expectedDuration(
  bw: CfsBandwidth,
  workMs: number,
  overheadMs = RUNTIME_OVERHEAD_MS,
): number {
  return phaseDistribution(bw, workMs, overheadMs).reduce(
    (sum, o) => sum + ((o.minMs + o.maxMs) / 2) * o.probability,
    0,
  );
}

/** Share of the calls that take at most `ms`. */
function cumulative(outcomes: readonly PhaseOutcome[], ms: number): number {
  let share = 0;
  for (const { minMs, maxMs, probability } of outcomes) {
    if (ms >= maxMs) share += probability;
    else if (ms > minMs) share += (probability * (ms - minMs)) / (maxMs - minMs);
  }
  return share;
}

/** The duration that a share `q` of random-phase calls stay within. */
export function phaseQuantile(outcomes: readonly PhaseOutcome[], q: number): number {
  if (!(q > 0 && q < 1)) throw new RangeError(`q must be in (0, 1), got ${q}`);
  let low = Math.min(...outcomes.map((o) => o.minMs));
  let high = Math.max(...outcomes.map((o) => o.maxMs));
  while (high - low > 1e-6) {
    const middle = (low + high) / 2;
    if (cumulative(outcomes, middle) >= q) high = middle;
    else low = middle;
  }
  return high;
}

/**
 * The production curve: the mean duration at `memoryMb`, over a uniformly
 * random start phase, of a single-threaded call that lasts `unthrottledMs` at
 * one vCPU or more (its handler and the runtime's ~1.3 ms).
 */
export function expectedDurationMs(unthrottledMs: number, memoryMb: number): number {
  const overheadMs = Math.min(RUNTIME_OVERHEAD_MS, unthrottledMs);
  return expectedDuration(lambdaBandwidth(memoryMb), unthrottledMs - overheadMs, overheadMs);
}
