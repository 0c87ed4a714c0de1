// @serial: it measures CPU time or memory under real limits, so it runs alone (scripts/run-tests.mjs).
import assert from "node:assert/strict";
import { test } from "node:test";
import { runThrottleLoop, type ThrottleIo } from "../../../src/emulator/limits/throttle-loop.js";

/** A simulated group: idle until `wakesAt`, then busy on one core whenever not stopped (0.01 ms steps). */
function simulatedGroup(wakesAt: number, restartOnWake: boolean, endAt: number) {
  let now = 0;
  let cpuNs = 0;
  let stopped = false;
  let restartPending = false;
  const cpuAt = new Map<number, number>();
  const advance = (ms: number) => {
    for (let step = 0; step < ms; step += 0.01) {
      const t = now + Math.min(0.01, ms - step);
      if (t >= wakesAt && now < wakesAt && restartOnWake) restartPending = true;
      if (t > wakesAt && !stopped) cpuNs += (t - Math.max(now, wakesAt)) * 1e6;
      now = t;
      cpuAt.set(Math.floor(now), cpuNs);
      // A restart request wakes a sleeping worker (Atomics.notify).
      if (restartPending) return;
    }
  };
  const io: ThrottleIo = {
    now: () => now,
    sleep: (ms) => advance(Math.max(0, ms)),
    shouldStop: () => now >= endAt,
    takePeriodRestart: () => {
      const pending = restartPending;
      restartPending = false;
      return pending;
    },
    members: () => [1],
    cpuNanosByThread: () => new Map([[1, cpuNs]]),
    memory: () => ({ rssBytes: 0, highWaterBytes: 0 }),
    stopGroup: () => {
      stopped = true;
    },
    continueGroup: () => {
      stopped = false;
    },
    killGroup: () => {},
    reportPeak: () => {},
    reportOutOfMemory: () => {},
  };
  return { io, cpuMsAt: (t: number) => (cpuAt.get(t) ?? 0) / 1e6 };
}

const settings = { quotaNs: 5e6, periodMs: 20, memoryLimitBytes: 1e9, maxParallelism: 1 };

test("without a restart, a group waking late in a period crosses the refill at once", async () => {
  const group = simulatedGroup(13, false, 40);
  await runThrottleLoop(settings, group.io);
  // 13..18 on the first quota, then 20..25 on the next: ~10 ms by t = 30.
  assert.ok(group.cpuMsAt(30) > 8, `${group.cpuMsAt(30)} ms`);
});

test("a period restart at an invocation's start gives it one full quota for a whole period", async () => {
  const group = simulatedGroup(13, true, 40);
  await runThrottleLoop(settings, group.io);
  const used = group.cpuMsAt(30);
  assert.ok(used > 4 && used < 7, `${used} ms by t = 30`);
  assert.ok(group.cpuMsAt(39) > 8, "the next period refills the quota");
});
