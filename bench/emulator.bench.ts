// Emulator benchmarks: how closely the local sandboxes reproduce Lambda's
// CPU-per-memory behaviour, and what the emulator itself costs.
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { readOwnCgroupFiles, selectLimitBackend } from "../src/emulator/limits/detect.js";
import type { IsolationKind, LimitBackend } from "../src/emulator/limits/types.js";
import { createLocalTarget } from "../src/targets/local/index.js";
import type { PreparedSize, Target } from "../src/targets/target.js";

const FUNCTIONS = fileURLToPath(new URL("../fixtures/functions/", import.meta.url));
const STAIRCASE = fileURLToPath(new URL("../fixtures/data/cfs-staircase.csv", import.meta.url));
const HOST_CORES = cpus().length;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function backend(prefer: IsolationKind | "auto"): Promise<LimitBackend | undefined> {
  try {
    return await selectLimitBackend({
      prefer,
      hostCores: HOST_CORES,
      ...readOwnCgroupFiles(),
      pid: process.pid,
      platform: process.platform,
    });
  } catch {
    return undefined;
  }
}

function target(fixture: string, isolation: LimitBackend): Target {
  return createLocalTarget({
    handler: `${FUNCTIONS}${fixture}/index.handler`,
    isolation,
    hostCores: HOST_CORES,
    timeoutSeconds: 60,
  });
}

/** Median Duration (ms) of `count` warm invocations, after one cold start. */
async function warmMedian(size: PreparedSize, payload: string, count: number): Promise<number> {
  await size.invoke(payload);
  const durations: number[] = [];
  for (let i = 0; i < count; i++) durations.push((await size.invoke(payload)).record.durationMs);
  return median(durations);
}

async function withTarget<T>(
  fixture: string,
  isolation: LimitBackend,
  use: (t: Target) => Promise<T>,
) {
  const t = target(fixture, isolation);
  try {
    return await use(t);
  } finally {
    await t.restore();
  }
}

async function scaling(): Promise<void> {
  console.log("(a) single-threaded CPU-bound: median at 128 MB / median at 1,769 MB (ideal 13.8)");
  const payload = JSON.stringify({ iterations: 600 });
  for (const kind of ["cgroup-v1", "cgroup-v2", "user-space-throttle"] as const) {
    const isolation = await backend(kind);
    if (isolation === undefined) {
      console.log(`  ${kind.padEnd(20)} not available`);
      continue;
    }
    await withTarget("cpu-bound", isolation, async (t) => {
      const small = await t.prepare(128);
      const at128 = await warmMedian(small, payload, 5);
      await small.release();
      const full = await t.prepare(1769);
      const at1769 = await warmMedian(full, payload, 5);
      await full.release();
      console.log(
        `  ${kind.padEnd(20)} ${at128.toFixed(0)} ms / ${at1769.toFixed(1)} ms = ${(at128 / at1769).toFixed(1)}x`,
      );
    });
  }
}

/** Iterations of the CPU-bound fixture that take ~17 ms at 1,769 MB (the staircase task). */
async function calibrate(size: PreparedSize, targetMs: number): Promise<number> {
  let iterations = 100;
  for (let round = 0; round < 4; round++) {
    const ms = await warmMedian(size, JSON.stringify({ iterations }), 5);
    iterations = Math.max(1, Math.round((iterations * targetMs) / ms));
  }
  return iterations;
}

async function staircase(): Promise<void> {
  const isolation = await backend("auto");
  if (isolation === undefined) return;
  const rows = readFileSync(STAIRCASE, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split(",").map(Number))
    .map(([memoryMb = 0, , medianMs = 0]) => ({ memoryMb, medianMs }));
  const step = Math.max(1, Math.floor(rows.length / 22));
  const picked = rows.filter((_, i) => i % step === 0);
  console.log(
    `(b) CFS staircase (${isolation.kind}): a ~17 ms task at ${picked.length} sizes vs real Lambda`,
  );
  await withTarget("cpu-bound", isolation, async (t) => {
    const full = await t.prepare(1769);
    const iterations = await calibrate(full, 17);
    const calibrated = await warmMedian(full, JSON.stringify({ iterations }), 7);
    await full.release();
    console.log(`  calibrated: ${iterations} iterations = ${calibrated.toFixed(1)} ms at 1,769 MB`);
    let within = 0;
    const cells: string[] = [];
    for (const row of picked) {
      const size = await t.prepare(row.memoryMb);
      const ms = await warmMedian(size, JSON.stringify({ iterations }), 7);
      await size.release();
      const close = Math.abs(ms - row.medianMs) <= 0.15 * row.medianMs;
      if (close) within++;
      cells.push(`${row.memoryMb}:${ms.toFixed(0)}/${row.medianMs.toFixed(0)}${close ? "" : "*"}`);
    }
    console.log(`  MB:local/real ms (* off by more than 15%): ${cells.join(" ")}`);
    console.log(
      `  within 15% of the real median: ${within} of ${picked.length} sizes (${((100 * within) / picked.length).toFixed(0)}%)`,
    );
  });
}

async function multiThreaded(): Promise<void> {
  const isolation = await backend("auto");
  if (isolation === undefined) return;
  const payload = JSON.stringify({ threads: 2, iterations: 800 });
  await withTarget("multi-threaded", isolation, async (t) => {
    const one = await t.prepare(1769);
    const at1769 = await warmMedian(one, payload, 5);
    await one.release();
    const two = await t.prepare(3538);
    const at3538 = await warmMedian(two, payload, 5);
    await two.release();
    console.log(
      `(c) 2 worker threads (${isolation.kind}): ${at1769.toFixed(0)} ms at 1,769 MB, ${at3538.toFixed(0)} ms at 3,538 MB: ${(at1769 / at3538).toFixed(2)}x faster (ideal 2x)`,
    );
  });
}

async function overhead(): Promise<void> {
  // Without limits it is the emulator's own cost; with cgroups each hand-out
  // also waits for the next CFS period start (up to 20 ms, outside Duration).
  for (const kind of ["none", "cgroup-v1"] as const) {
    const isolation = await backend(kind);
    if (isolation === undefined) continue;
    await withTarget("noop", isolation, async (t) => {
      const size = await t.prepare(1024);
      await size.invoke("{}");
      const trips: number[] = [];
      for (let i = 0; i < 300; i++) {
        const started = performance.now();
        await size.invoke("{}");
        trips.push(performance.now() - started);
      }
      console.log(
        `(d) warm round trip of a no-op handler (${kind}): median ${median(trips).toFixed(2)} ms (goal <= 2 ms)`,
      );
    });
  }
}

async function defaultSweep(): Promise<void> {
  const isolation = await backend("auto");
  if (isolation === undefined) return;
  const started = performance.now();
  const medians: string[] = [];
  await withTarget("cpu-bound", isolation, async (t) => {
    await t.describe();
    for (const memoryMb of [128, 256, 512, 1024, 1536]) {
      const size = await t.prepare(memoryMb);
      const durations: number[] = [];
      for (let i = 0; i < 10; i++) durations.push((await size.invoke("{}")).record.durationMs);
      await size.release();
      medians.push(`${memoryMb}:${median(durations).toFixed(0)}`);
    }
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `(e) default sweep of cpu-bound (${isolation.kind}, 5 sizes x 10): ${seconds.toFixed(1)} s wall; median ms ${medians.join(" ")}`,
  );
}

export async function run(): Promise<void> {
  console.log(`host: ${HOST_CORES} cores, node ${process.version}`);
  await scaling();
  await staircase();
  await multiThreaded();
  await overhead();
  await defaultSweep();
}
