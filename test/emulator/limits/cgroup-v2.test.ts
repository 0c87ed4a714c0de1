// @serial: it measures CPU time or memory under real limits, so it runs alone (scripts/run-tests.mjs).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, test } from "node:test";
import type { CgroupV2Limits } from "../../../src/emulator/limits/cgroup-v2.js";
import type { LimitBackend } from "../../../src/emulator/limits/types.js";
import { allocateInGroup, busyCpuFraction } from "./busy-child.js";
import { backendOrReason } from "./select.js";

const MIB = 2 ** 20;
let backend: LimitBackend | string;
before(async () => {
  backend = await backendOrReason("cgroup-v2");
  if (typeof backend === "string") console.log(`skipping cgroup v2 tests: ${backend}`);
});
after(async () => {
  if (typeof backend !== "string") await backend.dispose();
});

function v2(t: { skip(message: string): void }): CgroupV2Limits | undefined {
  if (typeof backend === "string") {
    t.skip(backend);
    return undefined;
  }
  return backend as CgroupV2Limits;
}

test("a busy child limited to 0.25 core gets about that share", async (t) => {
  const limits = v2(t);
  if (!limits) return;
  const group = await limits.createGroup("cpu", {
    memoryMb: 512,
    cpuCores: 0.25,
    periodMs: 20,
    tickMs: 4,
  });
  try {
    const fraction = await busyCpuFraction(group, 1500);
    t.diagnostic(`got ${fraction.toFixed(3)}`);
    assert.ok(fraction > 0.15 && fraction < 0.4, `got ${fraction}`);
  } finally {
    await group.dispose();
  }
});

test("200 MB under 128 MB is killed as out of memory; the group is removed on dispose", async (t) => {
  const limits = v2(t);
  if (!limits) return;
  const group = await limits.createGroup("oom", {
    memoryMb: 128,
    cpuCores: 1,
    periodMs: 20,
    tickMs: 4,
  });
  const outcome = await allocateInGroup(group, 200);
  assert.equal(outcome.signal, "SIGKILL");
  assert.equal(group.outOfMemoryKilled(), true);
  assert.ok((group.peakMemoryBytes() ?? 128 * MIB) >= 120 * MIB);
  await group.dispose();
  assert.equal(existsSync(`${limits.parent}/oom`), false);
});
