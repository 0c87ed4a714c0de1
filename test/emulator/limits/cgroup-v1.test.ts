// @serial: it measures CPU time or memory under real limits, so it runs alone (scripts/run-tests.mjs).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import type { CgroupV1Limits } from "../../../src/emulator/limits/cgroup-v1.js";
import type { LimitBackend } from "../../../src/emulator/limits/types.js";
import { allocateInGroup, busyCpuFraction, runInGroup } from "./busy-child.js";
import { backendOrReason } from "./select.js";

const MIB = 2 ** 20;
let backend: LimitBackend | string;
before(async () => {
  backend = await backendOrReason("cgroup-v1");
});
after(async () => {
  if (typeof backend !== "string") await backend.dispose();
});

function v1(t: { skip(message: string): void }): CgroupV1Limits | undefined {
  if (typeof backend === "string") {
    t.skip(backend);
    return undefined;
  }
  return backend as CgroupV1Limits;
}

for (const cores of [0.25, 0.5]) {
  test(`a busy child limited to ${cores} core gets about that share`, async (t) => {
    const limits = v1(t);
    if (!limits) return;
    const group = await limits.createGroup(`cpu-${cores * 100}`, {
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
      await group.dispose();
    }
  });
}

test("the launch wrapper puts the process in both groups before the command runs", async (t) => {
  const limits = v1(t);
  if (!limits) return;
  const group = await limits.createGroup("membership", {
    memoryMb: 256,
    cpuCores: 0.5,
    periodMs: 20,
    tickMs: 4,
  });
  try {
    const outcome = await runInGroup(
      group,
      'process.stdout.write(require("node:fs").readFileSync("/proc/self/cgroup", "utf8"))',
      [],
    );
    assert.match(outcome.stdout, new RegExp(`:cpu:.*/lambda-tune-${process.pid}/membership$`, "m"));
    assert.match(
      outcome.stdout,
      new RegExp(`:memory:.*/lambda-tune-${process.pid}/membership$`, "m"),
    );
  } finally {
    await group.dispose();
  }
});

test("a child allocating 200 MB under a 128 MB limit is killed as out of memory", async (t) => {
  const limits = v1(t);
  if (!limits) return;
  const group = await limits.createGroup("oom", {
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
    await group.dispose();
  }
  assert.equal(group.outOfMemoryKilled(), true, "still known after dispose");
});

test("the same child under 512 MB survives and its peak shows the 200 MB", async (t) => {
  const limits = v1(t);
  if (!limits) return;
  const group = await limits.createGroup("fits", {
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
    await group.dispose();
  }
});

test("dispose kills what is left and removes the group directories", async (t) => {
  const limits = v1(t);
  if (!limits) return;
  const group = await limits.createGroup("leftover", {
    memoryMb: 256,
    cpuCores: 0.5,
    periodMs: 20,
    tickMs: 4,
  });
  const cpuDir = `${limits.parents.cpu}/leftover`;
  const memoryDir = `${limits.parents.memory}/leftover`;
  assert.equal(readFileSync(`${cpuDir}/cpu.cfs_quota_us`, "utf8").trim(), "10000");
  assert.equal(
    readFileSync(`${memoryDir}/memory.limit_in_bytes`, "utf8").trim(),
    String(256 * MIB),
  );
  const running = runInGroup(group, "setInterval(() => {}, 1000)", []);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.notEqual(readFileSync(`${cpuDir}/cgroup.procs`, "utf8").trim(), "");
  await group.dispose();
  const outcome = await running;
  assert.equal(outcome.signal, "SIGKILL");
  assert.equal(existsSync(cpuDir), false);
  assert.equal(existsSync(memoryDir), false);
});

test("disposing the backend removes its parent groups", async (t) => {
  const limits = v1(t);
  if (!limits) return;
  const second = await backendOrReason("cgroup-v1");
  assert.notEqual(typeof second, "string");
  const other = second as CgroupV1Limits;
  assert.notEqual(other.parents.cpu, limits.parents.cpu);
  const group = await other.createGroup("kept", {
    memoryMb: 128,
    cpuCores: 0.1,
    periodMs: 20,
    tickMs: 4,
  });
  void runInGroup(group, "setInterval(() => {}, 1000)", []);
  await new Promise((resolve) => setTimeout(resolve, 200));
  await other.dispose();
  assert.equal(existsSync(`${other.parents.cpu}/kept`), false);
  assert.equal(existsSync(other.parents.cpu), false);
  assert.equal(existsSync(other.parents.memory), false);
});
