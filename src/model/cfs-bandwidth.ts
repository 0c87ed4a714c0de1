/**
 * CFS bandwidth control as Lambda applies it, exactly and without I/O
 * (docs/lambda-facts.md, "CPU throttling"): a 20 ms period on one fixed
 * grid per sandbox, a quota of memory/1,769 x 20 ms per period, no burst,
 * overruns carried as debt, and the budget enforced only at the scheduler tick
 * (4 ms at HZ=250): a task runs until the tick at which it has used up its
 * budget and then waits for the period refill(s) that pay its debt.
 */
import { CFS_PERIOD_MS, MAX_VCPUS, MB_PER_VCPU, SCHEDULER_TICK_MS } from "../lambda.js";

export { CFS_PERIOD_MS, SCHEDULER_TICK_MS };
/** Runtime CPU per call inside Lambda's Duration, on top of the handler's (docs/lambda-facts.md, "CPU throttling"). */
export const RUNTIME_OVERHEAD_MS = 1.3;
// Times on the grids are sums of a few floating-point terms.
const EPSILON = 1e-9;

export interface CfsBandwidth {
  periodMs: number;
  /** CPU time the group may use per period, over all its cores. */
  quotaMs: number;
  /** Where the budget is checked: every tick of this length, on the period's grid. */
  tickMs: number;
  /**
   * Where the ticks fall after each period boundary (0: on it, as on Lambda,
   * whose kernel starts both grids at boot; Linux 6.6 and later start the
   * period timer at a random offset, so a host cgroup's ticks may lag it).
   */
  tickOffsetMs?: number;
}

/** The bandwidth Lambda gives a memory size: memory/1,769 of a core per period (6 cores at most). */
export function lambdaBandwidth(memoryMb: number, tickMs = SCHEDULER_TICK_MS): CfsBandwidth {
  if (!(memoryMb > 0)) throw new RangeError(`memoryMb must be positive, got ${memoryMb}`);
  if (!(tickMs > 0)) throw new RangeError(`tickMs must be positive, got ${tickMs}`);
  const cores = Math.min(memoryMb / MB_PER_VCPU, MAX_VCPUS);
  return { periodMs: CFS_PERIOD_MS, quotaMs: CFS_PERIOD_MS * cores, tickMs };
}

/**
 * The arithmetic the mechanism runs on: plain numbers, or numbers that also
 * track how they move with the start phase (cfs-phase.ts), so one algorithm
 * serves both.
 */
export interface Arithmetic<N> {
  constant(value: number): N;
  add(a: N, b: N): N;
  subtract(a: N, b: N): N;
  atMost(a: N, b: N): boolean;
  /** floor(t / step): which step of a grid `t` falls in. */
  gridIndex(t: N, step: number): number;
}

export const plainArithmetic: Arithmetic<number> = {
  constant: (value) => value,
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  atMost: (a, b) => a <= b,
  gridIndex: (t, step) => Math.floor(t / step + EPSILON),
};

/** Where a sandbox's clock stands (ms on its grid) and the CPU budget left in this period. */
export interface CpuState<N> {
  atMs: N;
  /** Negative when the last tick found the quota overrun: the debt the next refills pay first. */
  budgetMs: N;
}

function refill<N>(ar: Arithmetic<N>, budget: N, quota: N): N {
  // No burst: unused quota does not carry over, debt does.
  const added = ar.add(budget, quota);
  return ar.atMost(added, quota) ? added : quota;
}

function sameTime(a: number, b: number): boolean {
  return Math.abs(a - b) <= EPSILON * Math.max(1, Math.abs(a));
}

/** Throttled at `t`: wait for the period refills until the budget is positive again. */
function waitForRefills<N>(ar: Arithmetic<N>, bw: CfsBandwidth, state: CpuState<N>): CpuState<N> {
  const zero = ar.constant(0);
  const quota = ar.constant(bw.quotaMs);
  let { atMs, budgetMs } = state;
  do {
    atMs = ar.constant((ar.gridIndex(atMs, bw.periodMs) + 1) * bw.periodMs);
    budgetMs = refill(ar, budgetMs, quota);
  } while (ar.atMost(budgetMs, zero));
  return { atMs, budgetMs };
}

/**
 * How often the budget is checked while CPU runs: at every scheduler tick
 * (pure computation, like a handler's loop), or at once (code that makes
 * system calls and context switches, each of which accounts its CPU, like the
 * runtime's work around the handler).
 */
export type Enforcement = "tick" | "exact";

/**
 * Runs `cpuMs` of single-threaded CPU work from `state` and returns the state
 * when it is done. Refills happen at every period boundary; the budget is
 * checked at every tick (after a boundary's refill when both coincide), or
 * continuously for "exact" work.
 */
export function runCpu<N>(
  ar: Arithmetic<N>,
  bw: CfsBandwidth,
  state: CpuState<N>,
  cpuMs: N,
  enforcement: Enforcement = "tick",
): CpuState<N> {
  const zero = ar.constant(0);
  const quota = ar.constant(bw.quotaMs);
  if (ar.atMost(cpuMs, zero)) return state;
  // Debt left by an earlier call keeps the group throttled until it is paid.
  let current = ar.atMost(state.budgetMs, zero) ? waitForRefills(ar, bw, state) : state;
  let remaining = cpuMs;
  for (;;) {
    const boundary = (ar.gridIndex(current.atMs, bw.periodMs) + 1) * bw.periodMs;
    const offset = bw.tickOffsetMs ?? 0;
    const tick =
      enforcement === "tick"
        ? (ar.gridIndex(ar.subtract(current.atMs, ar.constant(offset)), bw.tickMs) + 1) *
            bw.tickMs +
          offset
        : Number.POSITIVE_INFINITY;
    const next = Math.min(tick, boundary);
    const nextAt = ar.constant(next);
    const finish = ar.add(current.atMs, remaining);
    const exhausted = ar.add(current.atMs, current.budgetMs);
    if (enforcement === "exact" && ar.atMost(exhausted, nextAt) && !ar.atMost(finish, exhausted)) {
      // The budget runs out before the work does: throttled at that instant.
      remaining = ar.subtract(remaining, current.budgetMs);
      current = waitForRefills(ar, bw, { atMs: exhausted, budgetMs: zero });
      continue;
    }
    if (ar.atMost(finish, nextAt)) {
      return { atMs: finish, budgetMs: ar.subtract(current.budgetMs, remaining) };
    }
    const ran = ar.subtract(nextAt, current.atMs);
    remaining = ar.subtract(remaining, ran);
    let budgetMs = ar.subtract(current.budgetMs, ran);
    if (sameTime(next, boundary)) budgetMs = refill(ar, budgetMs, quota);
    current = { atMs: nextAt, budgetMs };
    if (sameTime(next, tick) && ar.atMost(budgetMs, zero)) {
      current = waitForRefills(ar, bw, current);
    }
  }
}

/**
 * One sandbox's CPU over its life: calls and the idle time between them on
 * one fixed period grid, starting with a full quota at `startMs`.
 */
export class CfsSandbox {
  #state: CpuState<number>;

  constructor(
    readonly bandwidth: CfsBandwidth,
    startMs = 0,
  ) {
    this.#state = { atMs: startMs, budgetMs: bandwidth.quotaMs };
  }

  get nowMs(): number {
    return this.#state.atMs;
  }

  get budgetMs(): number {
    return this.#state.budgetMs;
  }

  /** Stays idle until `ms` (no-op when already past it); each boundary crossed refills. */
  idleUntil(ms: number): void {
    const { atMs, budgetMs } = this.#state;
    if (ms <= atMs) return;
    const { periodMs, quotaMs } = this.bandwidth;
    const refills =
      plainArithmetic.gridIndex(ms, periodMs) - plainArithmetic.gridIndex(atMs, periodMs);
    this.#state = {
      atMs: ms,
      budgetMs: refills > 0 ? Math.min(budgetMs + refills * quotaMs, quotaMs) : budgetMs,
    };
  }

  /** Runs `cpuMs` of CPU work now; returns the wall time it took. */
  run(cpuMs: number, enforcement: Enforcement = "tick"): number {
    if (!(cpuMs >= 0)) throw new RangeError(`cpuMs must be 0 or more, got ${cpuMs}`);
    const startedAt = this.#state.atMs;
    this.#state = runCpu(plainArithmetic, this.bandwidth, this.#state, cpuMs, enforcement);
    return this.#state.atMs - startedAt;
  }

  /**
   * One Lambda call now: the handler's `workMs` of computation, checked at
   * ticks, then the runtime's `overheadMs` (reading the event, posting the
   * response), checked at once. Returns its duration.
   */
  call(workMs: number, overheadMs = RUNTIME_OVERHEAD_MS): number {
    return this.run(workMs, "tick") + this.run(overheadMs, "exact");
  }
}

/**
 * Duration of one call (handler `workMs`, runtime `overheadMs`) starting
 * `phaseMs` into a period of an idle sandbox, which has its full quota.
 */
export function callDurationMs(
  bw: CfsBandwidth,
  workMs: number,
  phaseMs: number,
  overheadMs = RUNTIME_OVERHEAD_MS,
): number {
  if (!(phaseMs >= 0 && phaseMs < bw.periodMs)) {
    throw new RangeError(`phaseMs must be in [0, ${bw.periodMs}), got ${phaseMs}`);
  }
  return new CfsSandbox(bw, phaseMs).call(workMs, overheadMs);
}

export interface CallSpec {
  /** Idle time before the call, from the end of the previous one (or from the sandbox's start). */
  gapMs: number;
  workMs: number;
  overheadMs?: number;
}

/** Durations of calls one after another in one sandbox, each `gapMs` after the previous ended. */
export function runCalls(bw: CfsBandwidth, calls: readonly CallSpec[], startMs = 0): number[] {
  const sandbox = new CfsSandbox(bw, startMs);
  return calls.map(({ gapMs, workMs, overheadMs }) => {
    sandbox.idleUntil(sandbox.nowMs + Math.max(0, gapMs));
    return sandbox.call(workMs, overheadMs);
  });
}
