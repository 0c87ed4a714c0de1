// @serial: it measures CPU time or memory under real limits, so it runs alone (scripts/run-tests.mjs).
import assert from "node:assert/strict";
import { test } from "node:test";
import { cpuCoresForMemory, limitsForMemory } from "../../../src/emulator/limits/cpu-for-memory.js";

test("1,769 MB is one full core, and smaller sizes get their share of it", () => {
  assert.deepEqual(cpuCoresForMemory(1769, 2), { cores: 1, lambdaCores: 1, capped: false });
  assert.ok(Math.abs(cpuCoresForMemory(128, 2).cores - 128 / 1769) < 1e-12);
  assert.equal(cpuCoresForMemory(3538, 2).cores, 2);
  assert.equal(cpuCoresForMemory(3538, 2).capped, false);
});

test("more cores than the host has are capped and say so", () => {
  const { cores, lambdaCores, capped } = cpuCoresForMemory(5307, 2);
  assert.equal(cores, 2);
  assert.ok(Math.abs(lambdaCores - 3) < 1e-12);
  assert.equal(capped, true);
});

test("Lambda gives at most 6 vCPUs however big the host", () => {
  assert.ok(Math.abs(cpuCoresForMemory(10240, 64).cores - 10240 / 1769) < 1e-12);
  assert.equal(cpuCoresForMemory(20000, 64).cores, 6);
  assert.equal(cpuCoresForMemory(20000, 64).capped, false);
});

test("limits for a memory size use the 20 ms period and the 4 ms tick", () => {
  assert.deepEqual(limitsForMemory(1769, 4), {
    memoryMb: 1769,
    cpuCores: 1,
    periodMs: 20,
    tickMs: 4,
  });
});

test("nonsense sizes are rejected", () => {
  assert.throws(() => cpuCoresForMemory(0, 2), RangeError);
  assert.throws(() => cpuCoresForMemory(128, 0), RangeError);
});
