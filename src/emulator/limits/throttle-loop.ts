/**
 * The user-space throttle's control loop: CFS bandwidth control imitated from
 * outside. Each period the group may use `quotaNs` of CPU; once it has, it is
 * stopped until the next period begins. All I/O is passed in, so the same loop
 * runs in a worker (sleeping with Atomics.wait) or on an event loop.
 */

export interface ThrottleSettings {
  quotaNs: number;
  periodMs: number;
  memoryLimitBytes: number;
  /** Cores the group can use at once (the host's); bounds how fast it can spend its quota. */
  maxParallelism: number;
}

export interface ThrottleIo {
  /** Milliseconds, monotonic. */
  now(): number;
  sleep(ms: number): void | Promise<void>;
  shouldStop(): boolean;
  /** Whether a fresh period was asked for (an invocation starts) since the last call. */
  takePeriodRestart?(): boolean;
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

// Below this a sleep costs more in wake-ups than it gains in precision.
const MIN_SLEEP_MS = 0.2;
const PERIODS_BETWEEN_MEMBER_SCANS = 10;

function usedSince(start: Map<number, number>, now: Map<number, number>): number {
  let used = 0;
  for (const [tid, ns] of now) used += ns - (start.get(tid) ?? 0);
  return used;
}

export async function runThrottleLoop(settings: ThrottleSettings, io: ThrottleIo): Promise<void> {
  const { quotaNs, periodMs, memoryLimitBytes, maxParallelism } = settings;
  let members = io.members();
  let periodStart = io.now();
  let periodIndex = 0;
  let stopped = false;
  let peak = 0;
  // schedstat of a running thread lags by up to a scheduler tick (4 ms at
  // HZ=250), so a period can overrun its quota; the overrun is measured once
  // the group is stopped and taken from the next period, keeping the average.
  let previousBaseline: Map<number, number> | undefined;
  let allowanceNs = quotaNs;
  let debtNs = 0;
  try {
    while (!io.shouldStop() && members.length > 0) {
      if (periodIndex % PERIODS_BETWEEN_MEMBER_SCANS === 0) members = io.members();
      const memory = io.memory(members);
      peak = Math.max(peak, memory.rssBytes, memory.highWaterBytes);
      io.reportPeak(peak);
      if (memory.rssBytes > memoryLimitBytes) {
        io.killGroup();
        io.reportOutOfMemory();
        return;
      }
      const baseline = io.cpuNanosByThread(members);
      if (previousBaseline)
        debtNs = Math.max(0, usedSince(previousBaseline, baseline) - allowanceNs);
      previousBaseline = baseline;
      allowanceNs = quotaNs - debtNs;
      const periodEnd = periodStart + periodMs;
      if (allowanceNs > 0 && stopped) {
        io.continueGroup();
        stopped = false;
      }
      let restart = false;
      for (;;) {
        if (io.shouldStop()) return;
        if (io.takePeriodRestart?.()) {
          restart = true;
          break;
        }
        const timeLeftMs = periodEnd - io.now();
        if (timeLeftMs <= 0) break;
        const remainingNs = allowanceNs - usedSince(baseline, io.cpuNanosByThread(members));
        if (remainingNs <= 0) {
          if (!stopped) io.stopGroup();
          stopped = true;
          await io.sleep(periodEnd - io.now());
          break;
        }
        // The group cannot spend its remaining quota faster than on all cores at once.
        const safeMs = remainingNs / 1e6 / maxParallelism;
        await io.sleep(safeMs >= timeLeftMs ? timeLeftMs : Math.max(MIN_SLEEP_MS, safeMs));
      }
      const now = io.now();
      // An invocation starts a period with a full quota, as the cgroup backends align it.
      if (restart) periodStart = now;
      // After an oversleep, skip the periods that were missed instead of catching up.
      else periodStart += periodMs * Math.max(1, Math.floor((now - periodStart) / periodMs));
      periodIndex += 1;
    }
  } finally {
    if (stopped) io.continueGroup();
  }
}
