/**
 * Where a cgroup's CFS periods begin, from observed refills. Pure: the times
 * come in, the phase comes out. The kernel's period timer keeps one grid for
 * the group's life (it is only ever forwarded by whole periods), so a phase
 * learnt once holds until the period itself is rewritten.
 */

/** A refill seen between two reads of cpu.stat: it happened in [from, to] (ms). */
export interface RefillObservation {
  from: number;
  to: number;
}

/** Distance between two phases on a circle of `periodMs`. */
function circularDistance(a: number, b: number, periodMs: number): number {
  const d = Math.abs(a - b) % periodMs;
  return Math.min(d, periodMs - d);
}

const modulo = (value: number, periodMs: number): number =>
  ((value % periodMs) + periodMs) % periodMs;

/**
 * The phase (ms in [0, period)) agreed on by most observations, or undefined
 * without a clear majority: a refill is seen late when the tool's event loop
 * was busy, so the observation with most neighbours within `toleranceMs`
 * wins, and only narrow observations (read gap <= toleranceMs) count.
 */
export function estimatePeriodPhase(
  observations: readonly RefillObservation[],
  periodMs: number,
  toleranceMs = 0.25,
): number | undefined {
  const phases = observations
    .filter((o) => o.to >= o.from && o.to - o.from <= toleranceMs)
    .map((o) => modulo(o.to, periodMs));
  let best: { phase: number; votes: number } | undefined;
  for (const phase of phases) {
    const votes = phases.filter((p) => circularDistance(p, phase, periodMs) <= toleranceMs).length;
    if (best === undefined || votes > best.votes) best = { phase, votes };
  }
  if (best === undefined || best.votes * 2 <= phases.length) return undefined;
  return best.phase;
}

/** The first period start at or after `now` (ms), given the grid's phase. */
export function nextPeriodStart(now: number, phaseMs: number, periodMs: number): number {
  return now + modulo(phaseMs - now, periodMs);
}
