/**
 * The user-space throttle's control loop: CFS bandwidth control as Lambda's
 * kernel applies it (src/model/cfs-bandwidth.ts), imitated from outside. The
 * group's usage is checked on a tick grid (4 ms, HZ=250) aligned to its one
 * fixed period grid; at a tick where the group has used up its budget it is
 * stopped, and each period boundary refills the quota (no burst, debt first)
 * and continues it once the budget is positive. All I/O is passed in, so the
 * same loop runs in a worker (sleeping with Atomics.wait) or on an event loop.
 */

export interface ThrottleSettings {
  quotaNs: number;
  periodMs: number;
  /** The scheduler tick the budget is checked at; a whole fraction of the period. */
  tickMs: number;
  memoryLimitBytes: number;
}

export interface ThrottleIo {
  /** Milliseconds on CLOCK_MONOTONIC, the clock the kernel's ticks are aligned to. */
  now(): number;
  sleep(ms: number): void | Promise<void>;
  shouldStop(): boolean;
  /**
   * Whether the owner asked for the group's CPU to be charged now (the
   * runtime's response arrived: the kernel would account it at that system
   * call, not at the next tick), and where the answer goes: stopped or not.
   */
  takeChargeRequest?(): boolean;
  answerCharge?(stopped: boolean): void;
  /** The group's live processes; empty once all have exited. */
  members(): number[];
  cpuNanosByThread(members: readonly number[]): Map<number, number>;
  /** Summed resident memory of the members and the highest high-water mark among them. */
  memory(members: readonly number[]): { rssBytes: number; highWaterBytes: number };
  stopGroup(): void;
  continueGroup(): void;
  killGroup(): void;
  reportPeak(bytes: number): void;
  reportOutOfMemory(): void;
}

// schedstat of a running thread is brought up to date at the kernel's tick;
// reading just after it sees the usage the kernel's own check would see.
export const TICK_READ_DELAY_MS = 0.25;
const TICKS_BETWEEN_MEMBER_SCANS = 50;

function usedSince(start: Map<number, number>, now: Map<number, number>): number {
  let used = 0;
  for (const [tid, ns] of now) used += ns - (start.get(tid) ?? 0);
  return used;
}

export async function runThrottleLoop(settings: ThrottleSettings, io: ThrottleIo): Promise<void> {
  const { quotaNs, periodMs, tickMs, memoryLimitBytes } = settings;
  const ticksPerPeriod = Math.max(1, Math.round(periodMs / tickMs));
  let members = io.members();
  let baseline = io.cpuNanosByThread(members);
  // Tick k is at k * tickMs on CLOCK_MONOTONIC; periods begin at every ticksPerPeriod-th.
  let tick = Math.floor(io.now() / tickMs) + 1;
  let budgetNs = quotaNs;
  let stopped = false;
  let peak = 0;
  const charge = () => {
    const usage = io.cpuNanosByThread(members);
    budgetNs -= usedSince(baseline, usage);
    baseline = usage;
  };
  try {
    for (let checks = 0; !io.shouldStop() && members.length > 0; checks++) {
      for (;;) {
        const waitMs = tick * tickMs + TICK_READ_DELAY_MS - io.now();
        if (waitMs <= 0) break;
        await io.sleep(waitMs);
        if (io.shouldStop()) return;
        if (io.now() < tick * tickMs + TICK_READ_DELAY_MS && io.takeChargeRequest?.()) {
          // Between ticks: only throttled now if the budget is spent; refills come at ticks.
          charge();
          if (budgetNs <= 0 && !stopped) {
            io.stopGroup();
            stopped = true;
          }
          io.answerCharge?.(stopped);
        }
      }
      // Ticks overslept (a loaded host) are caught up at once: each boundary refills.
      const reached = Math.max(tick, Math.floor((io.now() - TICK_READ_DELAY_MS) / tickMs));
      if (checks % TICKS_BETWEEN_MEMBER_SCANS === 0) members = io.members();
      if (checks % ticksPerPeriod === 0) {
        const memory = io.memory(members);
        peak = Math.max(peak, memory.rssBytes, memory.highWaterBytes);
        io.reportPeak(peak);
        if (memory.rssBytes > memoryLimitBytes) {
          io.killGroup();
          io.reportOutOfMemory();
          return;
        }
      }
      charge();
      const boundaries =
        Math.floor(reached / ticksPerPeriod) - Math.floor((tick - 1) / ticksPerPeriod);
      // No burst: unused quota does not carry over; debt does.
      if (boundaries > 0) budgetNs = Math.min(budgetNs + boundaries * quotaNs, quotaNs);
      if (budgetNs <= 0 && !stopped) {
        io.stopGroup();
        stopped = true;
      } else if (budgetNs > 0 && stopped) {
        io.continueGroup();
        stopped = false;
      }
      if (io.takeChargeRequest?.()) io.answerCharge?.(stopped);
      tick = reached + 1;
    }
  } finally {
    if (stopped) io.continueGroup();
    io.answerCharge?.(false);
  }
}
