// @serial: it measures CPU time or memory under real limits, so it runs alone (scripts/run-tests.mjs).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  runThrottleLoop,
  type ThrottleIo,
  TICK_READ_DELAY_MS,
} from "../../../src/emulator/limits/throttle-loop.js";

/**
 * A simulated group on a simulated clock: one thread that runs whenever it
 * wants the CPU (`busy(t)`) and is not stopped. Records when it was stopped
 * and continued.
 */
function simulatedGroup(busy: (t: number) => boolean, startAt: number, endAt: number) {
  let now = startAt;
  let cpuNs = 0;
  let stopped = false;
  const stops: number[] = [];
  const continues: number[] = [];
  const advance = (ms: number) => {
    const end = now + ms;
    for (; now < end; now = Math.min(end, now + 0.01)) {
      const step = Math.min(0.01, end - now);
      if (!stopped && busy(now)) cpuNs += step * 1e6;
    }
    now = end;
  };
  const io: ThrottleIo = {
    now: () => now,
    sleep: (ms) => advance(Math.max(0, ms)),
    shouldStop: () => now >= endAt,
    members: () => [1],
    cpuNanosByThread: () => new Map([[1, cpuNs]]),
    memory: () => ({ rssBytes: 0, highWaterBytes: 0 }),
    stopGroup: () => {
      stopped = true;
      stops.push(now);
    },
    continueGroup: () => {
      stopped = false;
      continues.push(now);
    },
    killGroup: () => {},
    reportPeak: () => {},
    reportOutOfMemory: () => {},
  };
  return { io, stops, continues, cpuMs: () => cpuNs / 1e6 };
}

// 128 MB on Lambda: 128/1,769 of a core per 20 ms period.
const at128 = { quotaNs: (20e6 * 128) / 1769, periodMs: 20, tickMs: 4, memoryLimitBytes: 1e9 };
const near = (actual: number, expected: number, tolerance: number) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`);

test("a busy group at 128 MB runs one tick, then waits 36 or 56 ms for refills that pay its debt", async () => {
  const group = simulatedGroup(() => true, 1000.5, 2000);
  await runThrottleLoop(at128, group.io);
  // Stopped at the first tick, 1004 ms (read just after the kernel's tick).
  near(group.stops[0] ?? 0, 1004 + TICK_READ_DELAY_MS, 0.02);
  // The last continue is the loop's own on stopping; the others are refills.
  for (let i = 0; i < group.continues.length - 1; i++) {
    const resumed = group.continues[i]!;
    const stopped = group.stops[i + 1];
    // Resumed on the period grid, stopped a tick later.
    near((resumed - TICK_READ_DELAY_MS) % 20, 0, 0.02);
    if (stopped !== undefined) near(stopped - resumed, 4, 0.02);
    const waited = resumed - group.stops[i]!;
    assert.ok(Math.abs(waited - 36) < 0.05 || Math.abs(waited - 56) < 0.05, `waited ${waited}`);
  }
  // The debt keeps the long-run share at the quota.
  near(group.cpuMs() / 1000, 128 / 1769, 0.01);
});

test("an idle group is never stopped, and gets one full quota when it wakes (no burst)", async () => {
  // Idle until 1101, then busy: 1101..1104 runs (3 ms > 1.45 ms quota), stopped at 1104.
  const group = simulatedGroup((t) => t >= 1101, 1000, 1200);
  await runThrottleLoop(at128, group.io);
  near(group.stops[0] ?? 0, 1104 + TICK_READ_DELAY_MS, 0.02);
  // 3.25 ms used against 1.45 ms: 1.8 ms of debt, paid by the refills at 1120 and 1140.
  near(group.continues[0] ?? 0, 1140 + TICK_READ_DELAY_MS, 0.02);
});

test("a group that overslept ticks (a loaded host) is caught up: refills counted, debt kept", async () => {
  const group = simulatedGroup(() => true, 1000.5, 1400);
  const io: ThrottleIo = {
    ...group.io,
    // Every sleep takes 9 ms longer than asked.
    sleep: (ms) => group.io.sleep(ms + 9),
  };
  await runThrottleLoop(at128, io);
  // Later checks let it overrun more, but the debt still holds the share near the quota.
  assert.ok(group.cpuMs() / 400 < 3 * (128 / 1769), `share ${group.cpuMs() / 400}`);
});

test("a charge between ticks (the runtime's response) throttles at once when the budget is spent", async () => {
  // Busy 1001..1003 (2 ms against a 1.45 ms quota); the response arrives at 1003, before the 1004 tick.
  const group = simulatedGroup((t) => t >= 1001 && t < 1003, 1000.5, 1060);
  let request: "none" | "asked" | "answered" = "none";
  let answer: boolean | undefined;
  const sleep = group.io.sleep;
  const io: ThrottleIo = {
    ...group.io,
    sleep: (ms) => {
      // The request wakes a sleeping worker, as Atomics.notify does.
      const now = group.io.now();
      if (request === "none" && now < 1003 && now + ms > 1003) {
        sleep(1003 - now);
        request = "asked";
        return;
      }
      sleep(ms);
    },
    takeChargeRequest: () => request === "asked",
    answerCharge: (stopped) => {
      if (request !== "asked") return;
      request = "answered";
      answer = stopped;
    },
  };
  await runThrottleLoop(at128, io);
  assert.equal(answer, true);
  near(group.stops[0] ?? 0, 1003, 0.02);
  // 0.55 ms of debt: the refill at 1020 pays it.
  near(group.continues[0] ?? 0, 1020 + TICK_READ_DELAY_MS, 0.02);
});

test("a charge within the budget leaves the group running", async () => {
  const group = simulatedGroup((t) => t >= 1001 && t < 1002, 1000.5, 1030);
  let asked = true;
  let answer: boolean | undefined;
  await runThrottleLoop(at128, {
    ...group.io,
    takeChargeRequest: () => asked,
    answerCharge: (stopped) => {
      if (!asked) return;
      asked = false;
      answer = stopped;
    },
  });
  assert.equal(answer, false);
  assert.deepEqual(group.stops, []);
});
