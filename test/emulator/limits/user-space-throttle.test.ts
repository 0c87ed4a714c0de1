// @serial: it measures CPU time or memory under real limits, so it runs alone (scripts/run-tests.mjs).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { readProcessStat } from "../../../src/emulator/limits/proc-usage.js";
import {
  type ThrottleControlLoop,
  UserSpaceThrottle,
} from "../../../src/emulator/limits/user-space-throttle.js";
import { allocateInGroup, busyCpuFraction, runInGroup } from "./busy-child.js";

const MIB = 2 ** 20;
const linux = process.platform === "linux";

const cases: [number, ThrottleControlLoop][] = [
  [0.25, "worker"],
  [0.5, "worker"],
  [0.25, "event-loop"],
];
for (const [cores, controlLoop] of cases) {
  test(`a busy child throttled to ${cores} core (${controlLoop}) gets about that share`, {
    skip: !linux,
  }, async (t) => {
    const backend = new UserSpaceThrottle({ hostCores: 2, controlLoop });
    const group = await backend.createGroup("cpu", {
      memoryMb: 512,
      cpuCores: cores,
      periodMs: 20,
      tickMs: 4,
    });
    try {
      const fraction = await busyCpuFraction(group, 1500);
      t.diagnostic(`target ${cores}, got ${fraction.toFixed(3)}`);
      assert.ok(fraction > cores * 0.6 && fraction < cores * 1.6, `got ${fraction}`);
    } finally {
      await backend.dispose();
    }
  });
}

test("launch leaves the command unchanged", () => {
  const backend = new UserSpaceThrottle({ hostCores: 2, controlLoop: "event-loop" });
  return backend
    .createGroup("x", { memoryMb: 128, cpuCores: 0.1, periodMs: 20, tickMs: 4 })
    .then(async (group) => {
      assert.deepEqual(group.launch("node", ["a.js"]), { command: "node", args: ["a.js"] });
      await backend.dispose();
    });
});

test("a child allocating 200 MB under 128 MB is killed by the watchdog", {
  skip: !linux,
}, async (t) => {
  const backend = new UserSpaceThrottle({ hostCores: 2 });
  const group = await backend.createGroup("oom", {
    memoryMb: 128,
    cpuCores: 1,
    periodMs: 20,
    tickMs: 4,
  });
  try {
    const outcome = await allocateInGroup(group, 200);
    assert.equal(outcome.signal, "SIGKILL");
    assert.equal(group.outOfMemoryKilled(), true);
    const peak = group.peakMemoryBytes() ?? 0;
    t.diagnostic(`peak ${(peak / MIB).toFixed(1)} MiB`);
    assert.ok(peak >= 120 * MIB, `peak ${peak}`);
  } finally {
    await backend.dispose();
  }
});

test("the same child under 512 MB survives and its peak shows the 200 MB", {
  skip: !linux,
}, async (t) => {
  const backend = new UserSpaceThrottle({ hostCores: 2 });
  const group = await backend.createGroup("fits", {
    memoryMb: 512,
    cpuCores: 1,
    periodMs: 20,
    tickMs: 4,
  });
  try {
    const outcome = await allocateInGroup(group, 200);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.equal(group.outOfMemoryKilled(), false);
    const peak = group.peakMemoryBytes() ?? 0;
    t.diagnostic(`peak ${(peak / MIB).toFixed(1)} MiB`);
    assert.ok(peak >= 200 * MIB, `peak ${peak}`);
  } finally {
    await backend.dispose();
  }
});

test("dispose continues and kills a group it had stopped", { skip: !linux }, async () => {
  const backend = new UserSpaceThrottle({ hostCores: 2 });
  const group = await backend.createGroup("stopped", {
    memoryMb: 128,
    cpuCores: 0.05,
    periodMs: 20,
    tickMs: 4,
  });
  const running = runInGroup(group, "for (;;) {}", []);
  await new Promise((resolve) => setTimeout(resolve, 300));
  await group.dispose();
  const outcome = await running;
  assert.equal(outcome.signal, "SIGKILL");
});

test("attach refuses a process that does not lead its own group", { skip: !linux }, async () => {
  const backend = new UserSpaceThrottle({ hostCores: 2, controlLoop: "event-loop" });
  const group = await backend.createGroup("bad", {
    memoryMb: 128,
    cpuCores: 0.5,
    periodMs: 20,
    tickMs: 4,
  });
  const child = spawn("sleep", ["5"], { stdio: "ignore" });
  try {
    assert.throws(() => group.attach(child.pid ?? 0), /detached: true/);
  } finally {
    child.kill("SIGKILL");
    await backend.dispose();
  }
});

test("a group is not left stopped when its owner is SIGKILLed", { skip: !linux }, async () => {
  const owner = spawn(
    process.execPath,
    ["--import", "tsx", "test/emulator/limits/hard-killed-owner.ts"],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const pid = await new Promise<number>((resolve, reject) => {
    owner.stdout.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    owner.once("exit", () => reject(new Error("the owner exited before printing its child")));
  });
  // At 0.05 core the grandchild spends most of its time stopped.
  await new Promise((resolve) => setTimeout(resolve, 500));
  let sawStopped = false;
  for (let i = 0; i < 50 && !sawStopped; i++) {
    sawStopped = readProcessStat(pid)?.state === "T";
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.ok(sawStopped, "the throttle stops the grandchild");
  owner.kill("SIGKILL");
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline && readProcessStat(pid) !== undefined) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const left = readProcessStat(pid);
  if (left) process.kill(pid, "SIGKILL");
  assert.equal(left, undefined, `grandchild ${pid} left in state ${left?.state}`);
});

test("settle charges the CPU at once: an idle group goes on, a spinning one waits for a refill", {
  skip: !linux,
}, async () => {
  const backend = new UserSpaceThrottle({ hostCores: 2 });
  try {
    const idle = await backend.createGroup("idle", {
      memoryMb: 128,
      cpuCores: 0.1,
      periodMs: 20,
      tickMs: 4,
    });
    void runInGroup(idle, "setTimeout(() => {}, 3000)", []);
    await new Promise((resolve) => setTimeout(resolve, 500));
    let started = performance.now();
    await idle.settle?.();
    // Generous: the worker answers within microseconds on an idle host.
    assert.ok(
      performance.now() - started < 250,
      `idle group waited ${performance.now() - started} ms`,
    );

    const spinning = await backend.createGroup("spin", {
      memoryMb: 128,
      cpuCores: 0.05,
      periodMs: 20,
      tickMs: 4,
    });
    void runInGroup(spinning, "for (;;) {}", []);
    await new Promise((resolve) => setTimeout(resolve, 500));
    started = performance.now();
    await spinning.settle?.();
    // Over its budget most of the time: usually held until a refill, and never for long.
    assert.ok(performance.now() - started < 2000);
  } finally {
    await backend.dispose();
  }
});
