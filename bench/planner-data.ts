// Benchmark data for planner.bench.ts: recorded pacslab-2020 functions, the
// CFS staircase aggregates turned into invocations, and the truth per size.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { ReportRecord } from "../src/logs/record.js";
import { lambdaBandwidth } from "../src/model/cfs-bandwidth.js";
import { phaseDistribution } from "../src/model/cfs-phase.js";
import { costPerInvocation } from "../src/model/cost.js";
import type { Pricing } from "../src/model/pricing.js";
import { createRandom, type Random } from "../src/model/random.js";
import { loadRecording } from "../src/targets/replay/load.js";

export interface BenchFunction {
  name: string;
  group: "pacslab-2020" | "staircase";
  records: ReportRecord[];
}

/** What the benchmark scores against: every record of the function, not a sample. */
export interface Truth {
  costBySize: Map<number, number>;
  cheapestCostUsd: number;
  p99BySize: Map<number, number>;
  maxInitMs: number;
}

const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));

export async function pacslabFunctions(): Promise<BenchFunction[]> {
  const functions: BenchFunction[] = [];
  for (const n of [1, 2, 3, 4, 5, 6]) {
    const recording = await loadRecording(fixture(`recordings/pacslab-f${n}.log`));
    functions.push({ name: `f${n}`, group: "pacslab-2020", records: recording.records });
  }
  return functions;
}

function standardNormal(random: Random): number {
  const u = Math.max(random(), Number.MIN_VALUE);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** z of the 90th percentile of a standard normal. */
const Z90 = 1.2815515655446004;
export const STAIRCASE_RECORDS_PER_SIZE = 100;

/**
 * Invocations around the recorded medians: lognormal with the recorded
 * median and p90 (the aggregates have no single calls), a fixed seed so the
 * truth is the same for every run.
 */
export async function staircaseFunction(): Promise<BenchFunction> {
  const text = await readFile(fixture("data/cfs-staircase.csv"), "utf8");
  const random = createRandom(20_250_000);
  const records: ReportRecord[] = [];
  for (const line of text.trim().split("\n").slice(1)) {
    const [memory, , median, , p90] = line.split(",").map(Number) as number[];
    const sigma = Math.max(Math.log(p90! / median!) / Z90, 0.005);
    for (let i = 0; i < STAIRCASE_RECORDS_PER_SIZE; i++) {
      const durationMs = Math.round(median! * Math.exp(sigma * standardNormal(random)) * 100) / 100;
      records.push({
        requestId: `staircase-${memory}-${i}`,
        durationMs,
        billedDurationMs: Math.max(1, Math.ceil(durationMs)),
        memorySizeMB: memory!,
        maxMemoryUsedMB: 40,
        status: "success",
      });
    }
  }
  return { name: "staircase", group: "staircase", records };
}

/**
 * The same task as production would see it (calls at a random phase of the
 * CFS period, src/model/cfs-phase.ts): at each size of the staircase, calls
 * drawn from the model's duration distribution, with 1% noise.
 */
export async function randomPhaseStaircaseFunction(): Promise<BenchFunction> {
  const text = await readFile(fixture("data/cfs-staircase.csv"), "utf8");
  const random = createRandom(20_250_001);
  const records: ReportRecord[] = [];
  for (const line of text.trim().split("\n").slice(1)) {
    const memory = Number(line.split(",")[0]);
    const outcomes = phaseDistribution(lambdaBandwidth(memory), 16, 1.3);
    for (let i = 0; i < STAIRCASE_RECORDS_PER_SIZE; i++) {
      const u = random();
      let cumulative = 0;
      const outcome =
        outcomes.find((o) => {
          cumulative += o.probability;
          return u < cumulative;
        }) ?? outcomes.at(-1)!;
      const ms = outcome.minMs + (outcome.maxMs - outcome.minMs) * random();
      const durationMs = Math.round(ms * Math.exp(0.01 * standardNormal(random)) * 100) / 100;
      records.push({
        requestId: `random-phase-${memory}-${i}`,
        durationMs,
        billedDurationMs: Math.max(1, Math.ceil(durationMs)),
        memorySizeMB: memory,
        maxMemoryUsedMB: 40,
        status: "success",
      });
    }
  }
  return { name: "staircase random phase", group: "staircase", records };
}

function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

export function truthOf(fn: BenchFunction, pricing: Pricing): Truth {
  const costs = new Map<number, number[]>();
  const durations = new Map<number, number[]>();
  let maxInitMs = 0;
  for (const record of fn.records) {
    const m = record.memorySizeMB;
    costs.set(m, [...(costs.get(m) ?? []), costPerInvocation(record, pricing)]);
    durations.set(m, [...(durations.get(m) ?? []), record.durationMs]);
    maxInitMs = Math.max(maxInitMs, record.initDurationMs ?? 0);
  }
  const costBySize = new Map(
    [...costs].map(([m, c]) => [m, c.reduce((a, b) => a + b, 0) / c.length] as const),
  );
  const p99BySize = new Map(
    [...durations].map(
      ([m, d]) =>
        [
          m,
          quantile(
            [...d].sort((a, b) => a - b),
            0.99,
          ),
        ] as const,
    ),
  );
  return { costBySize, cheapestCostUsd: Math.min(...costBySize.values()), p99BySize, maxInitMs };
}
