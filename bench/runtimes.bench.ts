// Runtime benchmarks (issue 10): Python's CPU scaling under the limits, each
// runtime's warm round trip and Init Duration, and Python processes above one
// vCPU. Each figure is printed with the host's load average, since other work
// on the host moves them.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { IsolationKind, LimitBackend } from "../src/emulator/limits/types.js";
import type { PreparedSize, Target } from "../src/targets/target.js";
import { availableBackend, createLocalTarget, HOST_CORES } from "./built.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

const PYTHON = process.env.LAMBDA_TUNE_BENCH_PYTHON ?? "/usr/bin/python3";

function load(): string {
  const [one, five, fifteen] = readFileSync("/proc/loadavg", "utf8").split(" ");
  return `load ${one} ${five} ${fifteen}`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** A target on a new backend of `kind` (the target disposes it); undefined when `kind` is not available. */
async function withTarget<T>(
  handler: string,
  kind: IsolationKind,
  use: (t: Target, isolation: LimitBackend) => Promise<T>,
  cold = false,
): Promise<T | undefined> {
  const isolation = await availableBackend(kind);
  if (isolation === undefined) return undefined;
  const t = createLocalTarget({
    handler,
    cwd: ROOT,
    ...(handler.includes("/python/") && { python: PYTHON }),
    isolation,
    hostCores: HOST_CORES,
    timeoutSeconds: 60,
    cold,
  });
  try {
    await t.describe();
    return await use(t, isolation);
  } finally {
    await t.restore();
  }
}

/** Median Duration (ms) of `count` warm invocations, after one cold start. */
async function warmMedian(size: PreparedSize, payload: string, count: number): Promise<number> {
  await size.invoke(payload);
  const durations: number[] = [];
  for (let i = 0; i < count; i++) durations.push((await size.invoke(payload)).record.durationMs);
  return median(durations);
}

const PY_CPU = "fixtures/functions/python/cpu-bound/lambda_function.lambda_handler";
const PY_MULTI = "fixtures/functions/python/multi-process/lambda_function.lambda_handler";

async function pythonScaling(): Promise<void> {
  console.log(
    `(a) Python CPU-bound: median at 128 MB / median at 1,769 MB (ideal 13.8), ${PYTHON}`,
  );
  const payload = JSON.stringify({ iterations: 2000 });
  for (const kind of ["cgroup-v1", "cgroup-v2", "user-space-throttle"] as const) {
    const done = await withTarget(PY_CPU, kind, async (t) => {
      const small = await t.prepare(128);
      const at128 = await warmMedian(small, payload, 5);
      await small.release();
      const full = await t.prepare(1769);
      const at1769 = await warmMedian(full, payload, 5);
      await full.release();
      const ratio = at128 / at1769;
      console.log(
        `  ${kind.padEnd(20)} ${at128.toFixed(0)} ms / ${at1769.toFixed(1)} ms = ${ratio.toFixed(1)}x ` +
          `(${((100 * (ratio - 13.8)) / 13.8).toFixed(0)}% from ideal; ${load()})`,
      );
      return true;
    });
    if (done === undefined) console.log(`  ${kind.padEnd(20)} not available`);
  }
}

/** The no-op handler of each runtime; the compiled custom runtime only where `cc` is. */
function noopHandlers(scratch: string): [string, string][] {
  const handlers: [string, string][] = [
    ["Node.js", "fixtures/functions/noop/index.handler"],
    ["TypeScript", "fixtures/functions/typescript/noop.handler"],
    ["Python", "fixtures/functions/python/noop/lambda_function.lambda_handler"],
    ["shell bootstrap (curl)", "fixtures/functions/provided/shell/function.handler"],
  ];
  const built = join(scratch, "bootstrap");
  const cc = spawnSync("cc", [
    "-O2",
    "-o",
    built,
    `${ROOT}fixtures/functions/provided/c/bootstrap.c`,
  ]);
  if (cc.status === 0) handlers.push(["C bootstrap", built]);
  else console.log("  (no cc: the compiled custom runtime is left out)");
  return handlers;
}

async function roundTrips(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), "lambda-tune-bench-"));
  try {
    console.log("(b) warm round trip of a no-op handler, no limits (goal <= 2 ms), 1,024 MB:");
    for (const [runtime, handler] of noopHandlers(scratch)) {
      await withTarget(handler, "none", async (t) => {
        const size = await t.prepare(1024);
        await size.invoke("{}");
        const trips: number[] = [];
        const durations: number[] = [];
        for (let i = 0; i < 200; i++) {
          const started = performance.now();
          const invocation = await size.invoke("{}");
          trips.push(performance.now() - started);
          durations.push(invocation.record.durationMs);
        }
        await size.release();
        console.log(
          `  ${runtime.padEnd(24)} median ${median(trips).toFixed(2)} ms (Duration ${median(durations).toFixed(2)} ms; ${load()})`,
        );
      });
    }
    console.log("(c) Init Duration of a no-op handler, median of 10 cold starts:");
    for (const kind of ["none", "cgroup-v1"] as const) {
      for (const [runtime, handler] of noopHandlers(scratch)) {
        await withTarget(
          handler,
          kind,
          async (t) => {
            const cells: string[] = [];
            for (const memoryMb of [128, 1769]) {
              const size = await t.prepare(memoryMb);
              const inits: number[] = [];
              for (let i = 0; i < 10; i++) {
                inits.push((await size.invoke("{}")).record.initDurationMs ?? 0);
              }
              await size.release();
              cells.push(`${memoryMb} MB ${median(inits).toFixed(1)} ms`);
            }
            console.log(
              `  ${kind.padEnd(10)} ${runtime.padEnd(24)} ${cells.join(", ")} (${load()})`,
            );
          },
          true,
        );
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function pythonProcesses(): Promise<void> {
  const payload = JSON.stringify({ processes: 2, iterations: 3000 });
  for (const kind of ["cgroup-v1", "user-space-throttle"] as const) {
    await withTarget(PY_MULTI, kind, async (t) => {
      const one = await t.prepare(1769);
      const at1769 = await warmMedian(one, payload, 5);
      await one.release();
      const two = await t.prepare(3538);
      const at3538 = await warmMedian(two, payload, 5);
      await two.release();
      console.log(
        `(d) Python, 2 processes (${kind}): ${at1769.toFixed(0)} ms at 1,769 MB, ` +
          `${at3538.toFixed(0)} ms at 3,538 MB: ${(at1769 / at3538).toFixed(2)}x faster (about 2x on a quiet 2-core host; ${load()})`,
      );
    });
  }
  // What the host itself gives two processes now: the ceiling for the figures above.
  await withTarget(PY_MULTI, "none", async (t) => {
    const size = await t.prepare(3538);
    const both = await warmMedian(size, payload, 5);
    const alone = await warmMedian(size, JSON.stringify({ processes: 1, iterations: 3000 }), 5);
    await size.release();
    console.log(
      `    no limits: 1 process ${alone.toFixed(0)} ms, 2 processes ${both.toFixed(0)} ms ` +
        `(the host's own parallelism now: ${((2 * alone) / both).toFixed(2)}x; ${load()})`,
    );
  });
}

export async function run(): Promise<void> {
  const version = spawnSync(PYTHON, ["--version"], { encoding: "utf8" }).stdout.trim();
  console.log(`host: ${HOST_CORES} cores, node ${process.version}, ${version || "no Python"}`);
  await pythonScaling();
  await roundTrips();
  await pythonProcesses();
}
