/** What a run trace (busy-child.ts) shows of CFS bandwidth control, for the mechanism tests. */
import type { SpinWindow } from "./busy-child.js";

// Stretches without running longer than this are throttles; shorter ones, a busy host.
const THROTTLE_MS = 8;

export interface TraceSummary {
  /**
   * CPU time over wall time from each spin's first resume to its last: whole
   * cycles of overrun and repayment, without the full quota the idle time gave.
   */
  share: number;
  /** CPU time run between one throttle and the next. */
  bursts: number[];
  /** The first burst of each spin, after its idle time. */
  firstBursts: number[];
  throttles: number[];
  /** When throttles ended (the group resumed) and began, on CLOCK_MONOTONIC. */
  resumedAt: number[];
  stoppedAt: number[];
}

export function summarize(windows: readonly SpinWindow[]): TraceSummary {
  const summary: TraceSummary = {
    share: 0,
    bursts: [],
    firstBursts: [],
    throttles: [],
    resumedAt: [],
    stoppedAt: [],
  };
  let cpuMs = 0;
  let wallMs = 0;
  for (const window of windows) {
    const throttles = window.gaps.filter(([from, to]) => to - from >= THROTTLE_MS);
    let runStart = window.start;
    for (const [i, [from, to]] of throttles.entries()) {
      const held = window.gaps
        .filter(([a, b]) => a >= runStart && b <= from && b - a < THROTTLE_MS)
        .reduce((sum, [a, b]) => sum + (b - a), 0);
      const burst = from - runStart - held;
      if (i === 0) summary.firstBursts.push(burst);
      else {
        summary.bursts.push(burst);
        cpuMs += burst;
      }
      summary.throttles.push(to - from);
      summary.resumedAt.push(to);
      summary.stoppedAt.push(from);
      runStart = to;
    }
    const [first, last] = [throttles[0], throttles.at(-1)];
    if (first !== undefined && last !== undefined) wallMs += last[1] - first[1];
  }
  summary.share = cpuMs / wallMs;
  return summary;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? Number.NaN;
}

/** Share of the times whose phase modulo `period` lies within `tolerance` of the commonest phase. */
export function phaseAgreement(
  times: readonly number[],
  period: number,
  tolerance: number,
): number {
  const phases = times.map((t) => ((t % period) + period) % period);
  const near = (a: number, b: number) => {
    const d = Math.abs(a - b) % period;
    return Math.min(d, period - d) <= tolerance;
  };
  let best = 0;
  for (const p of phases) best = Math.max(best, phases.filter((q) => near(p, q)).length);
  return phases.length === 0 ? 0 : best / phases.length;
}
