/**
 * A closed client loop against one or more sandboxes: each request goes out a
 * fixed time after the previous response, as the benchmark behind
 * fixtures/data/cfs-staircase.csv did (docs/lambda-facts.md, "CPU throttling"). A call throttled in its runtime work ends just after a refill, so
 * the next one starts at nearly the same phase: the loop, not the mechanism,
 * makes the published plateaus flat.
 */
import { type CfsBandwidth, CfsSandbox, RUNTIME_OVERHEAD_MS } from "./cfs-bandwidth.js";

export interface ClientLoopOptions {
  /** The handler's CPU per call, and its spread (standard deviation) between calls. */
  workMs: number;
  workSdMs?: number;
  overheadMs?: number;
  /** Idle time from the end of one call's duration to the start of the next, and its spread. */
  gapMs: number;
  gapSdMs?: number;
  calls: number;
  /** Each sandbox serves `calls` calls and starts at a random phase of its grid. */
  sandboxes?: number;
  /** Uniform in [0, 1); seeded by the caller. */
  random: () => number;
}

/**
 * The published benchmark's loop: the next request left 159.6 +/- 1.5 ms
 * after the previous handler ended (docs/lambda-facts.md, "CPU throttling"), which with the runtime's
 * work after the handler is this much from the end of one duration to the
 * start of the next.
 */
export const PUBLISHED_LOOP = {
  gapMs: 159.6 - RUNTIME_OVERHEAD_MS,
  gapSdMs: 1.5,
} as const;

function standardNormal(random: () => number): number {
  // Box-Muller; 1 - u keeps the logarithm finite.
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Durations of every call of the loop, sandbox after sandbox, in order. */
export function replayClientLoop(bw: CfsBandwidth, options: ClientLoopOptions): number[] {
  const { workMs, gapMs, calls, random } = options;
  const workSdMs = options.workSdMs ?? 0;
  const gapSdMs = options.gapSdMs ?? 0;
  const overheadMs = options.overheadMs ?? RUNTIME_OVERHEAD_MS;
  const durations: number[] = [];
  for (let s = 0; s < (options.sandboxes ?? 1); s++) {
    const sandbox = new CfsSandbox(bw, random() * bw.periodMs);
    for (let i = 0; i < calls; i++) {
      if (i > 0) sandbox.idleUntil(sandbox.nowMs + gapMs + gapSdMs * standardNormal(random));
      const work = Math.max(0, workMs + workSdMs * standardNormal(random));
      durations.push(sandbox.call(work, overheadMs));
    }
  }
  return durations;
}
