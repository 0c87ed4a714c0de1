// @serial: it measures CPU time or memory under real limits, so it runs alone (scripts/run-tests.mjs).
import assert from "node:assert/strict";
import { cpus } from "node:os";
import { after, describe, it } from "node:test";
import { limitsForMemory } from "../../src/emulator/limits/cpu-for-memory.js";
import { readOwnCgroupFiles, selectLimitBackend } from "../../src/emulator/limits/detect.js";
import type { LimitBackend } from "../../src/emulator/limits/types.js";
import { parseLogTail } from "../../src/logs/parser.js";
import { fixturePool, isRunning } from "./fixture-pool.js";

async function cgroupV1(): Promise<LimitBackend | undefined> {
  try {
    return await selectLimitBackend({
      prefer: "cgroup-v1",
      hostCores: cpus().length,
      ...readOwnCgroupFiles(),
      pid: process.pid,
      platform: process.platform,
    });
  } catch {
    return undefined;
  }
}

describe("out of memory", () => {
  it("with no limits, the V8 heap bound ends a sandbox that outgrows its size: Runtime.OutOfMemory", async () => {
    const { pool, started } = fixturePool("memory-hungry", { memoryMb: 128 });
    try {
      const oom = await pool.invoke('{"mb":300}');
      assert.equal(oom.record.status, "error");
      assert.equal(oom.record.errorType, "Runtime.OutOfMemory");
      assert.ok(oom.record.maxMemoryUsedMB >= 128, `${oom.record.maxMemoryUsedMB}`);
      assert.equal(oom.functionError, "Unhandled");
      assert.deepEqual(parseLogTail(oom.logTail ?? ""), oom.record);
      assert.equal(isRunning(started[0]?.pid ?? 0), false);

      const small = await pool.invoke('{"mb":5}');
      assert.equal(small.record.status, "success");
      assert.equal(started.length, 2);
    } finally {
      await pool.release();
    }
  });

  describe("with cgroup v1", async () => {
    const backend = await cgroupV1();
    after(() => backend?.dispose());

    it("the kernel's memory limit kills a sandbox that allocates off-heap past its size", {
      skip: backend === undefined ? "cgroup v1 is not available here" : false,
    }, async () => {
      if (backend === undefined) return;
      let groups = 0;
      const { pool } = fixturePool("memory-hungry", {
        memoryMb: 128,
        limitGroup: () =>
          backend.createGroup(`oom-test-${++groups}`, limitsForMemory(128, cpus().length)),
      });
      try {
        const oom = await pool.invoke('{"mb":300,"offHeap":true}');
        assert.equal(oom.record.status, "error");
        assert.equal(oom.record.errorType, "Runtime.OutOfMemory");
        assert.ok(oom.record.maxMemoryUsedMB >= 128, `${oom.record.maxMemoryUsedMB}`);
        const small = await pool.invoke('{"mb":5,"offHeap":true}');
        assert.equal(small.record.status, "success");
        assert.ok(small.record.maxMemoryUsedMB < 128);
      } finally {
        await pool.release();
      }
    });
  });
});
