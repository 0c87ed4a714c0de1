// The adaptive planner against the fixed grid and two anchors (AWS Lambda
// Power Tuning, Parrotfish) on replayed real measurements: the pacslab-2020
// functions and the CFS staircase. Deterministic: seeds 1..SEEDS per function
// (PLANNER_BENCH_FIRST_SEED moves them; tune on others than the reported ones).
// "first calls": the first call of each prepared size is a cold start whose
// Duration is inflated by the real ratios of docs/lambda-facts.md, "First calls"
// (bench/planner-first-calls.ts; PLANNER_BENCH_COLD=0: off).
// Regret = true cost at the recommended size / true cheapest cost - 1, where
// the truth is the mean cost over every record of a size (1 ms billing,
// x86_64 us-east-1, request fee included).
import type { ReportRecord } from "../src/logs/record.js";
import { totalCost } from "../src/model/cost.js";
import { resolvePricing } from "../src/model/pricing.js";
import { recommend } from "../src/model/recommend.js";
import { buildTiers } from "../src/model/stats.js";
import { recommendTimeout } from "../src/model/timeout.js";
import { createReplayTarget, type ReplayTarget } from "../src/targets/replay/replay-target.js";
import type { Target } from "../src/targets/target.js";
import { createAdaptivePlanner } from "../src/tune/adaptive-planner.js";
import { DEFAULT_INVOCATIONS, DEFAULT_SIZES } from "../src/tune/memory-spec.js";
import { createFixedGridPlanner, type Planner } from "../src/tune/plan.js";
import { nearestSize } from "../src/tune/probe-sizes.js";
import { runSweep } from "../src/tune/sweep.js";
import {
  parrotfishPick,
  parrotfishSizes,
  powerTuningPick,
  powerTuningSizes,
} from "./planner-anchors.js";
import {
  type BenchFunction,
  pacslabFunctions,
  randomPhaseStaircaseFunction,
  staircaseFunction,
  type Truth,
  truthOf,
} from "./planner-data.js";
import { firstCallModel, withColdStarts } from "./planner-first-calls.js";

const SEEDS = Number(process.env.PLANNER_BENCH_SEEDS ?? 40);
// Reporting seeds are 1..SEEDS; tune constants on others (e.g. PLANNER_BENCH_FIRST_SEED=1001).
const FIRST_SEED = Number(process.env.PLANNER_BENCH_FIRST_SEED ?? 1);
const BUDGETS = [15, 20, 35];
/** Also runs every method with first calls cold (as on live targets); PLANNER_BENCH_COLD=0: off. */
const FIRST_CALLS = process.env.PLANNER_BENCH_COLD !== "0";
/** `--tie-tolerance` of the planner and the recommendation (PLANNER_BENCH_TIE=0: the cheapest only). */
const TIE =
  process.env.PLANNER_BENCH_TIE === undefined ? undefined : Number(process.env.PLANNER_BENCH_TIE);
const pricing = resolvePricing({ region: "us-east-1", architecture: "x86_64" });

interface Run {
  memoryMb: number;
  invocations: number;
  explorationUsd: number;
  timeout?: TimeoutCheck;
  /** The band's range (lambda-tune only): smallest and largest size in it. */
  band?: [number, number];
}

interface Method {
  name: string;
  run(fn: BenchFunction, truth: Truth, seed: number, condition: Condition): Promise<Run>;
}

interface TimeoutCheck {
  heldOut: number;
  /** Held-out records longer than the whole-second timeout, and than the bound before rounding. */
  above: number;
  aboveMs: number;
  withinBound: boolean;
  withinBoundMs: boolean;
}

function replay(fn: BenchFunction, seed: number): ReplayTarget {
  return createReplayTarget({ records: fn.records, name: fn.name, seed });
}

async function sweep(target: Target, planner: Planner) {
  const result = await runSweep({ target, planner, payload: "{}", concurrency: 1 });
  const records = [...result.records.values()].flat();
  return { result, records, explorationUsd: totalCost(records, pricing) };
}

/** Records not drawn at the recommended size that run longer than the timeout, whole and in ms. */
function timeoutCheck(
  fn: BenchFunction,
  truth: Truth,
  drawn: readonly ReportRecord[],
  memoryMb: number,
  seconds: number,
  boundMs: number,
): TimeoutCheck {
  const seen = new Set(drawn.map((r) => r.requestId));
  const heldOut = fn.records.filter((r) => r.memorySizeMB === memoryMb && !seen.has(r.requestId));
  const longest = Math.max(truth.maxInitMs, ...drawn.map((r) => r.initDurationMs ?? 0));
  const total = (r: ReportRecord) => r.durationMs + (r.initDurationMs ?? 0);
  const p99 = truth.p99BySize.get(memoryMb) ?? 0;
  const limitMs = 3 * p99 + longest;
  return {
    heldOut: heldOut.length,
    above: heldOut.filter((r) => total(r) > seconds * 1000).length,
    aboveMs: heldOut.filter((r) => total(r) > boundMs).length,
    // Whole seconds, at least 1 s (docs/lambda-facts.md, "Memory and CPU"): the bound rounds up the
    // same way.
    withinBound: seconds <= Math.max(1, Math.ceil(limitMs / 1000)),
    withinBoundMs: boundMs <= limitMs,
  };
}

async function recommendFrom(
  fn: BenchFunction,
  truth: Truth,
  target: Target,
  planner: Planner,
): Promise<Run> {
  const { result, records, explorationUsd } = await sweep(target, planner);
  const tiers = buildTiers(records, pricing);
  const outcome = recommend(tiers, {
    strategy: "cost",
    pricing,
    ...(TIE !== undefined && { tieTolerance: TIE }),
  });
  if (outcome.recommendation === null) throw new Error(`${fn.name}: no recommendation`);
  const { memoryMb, timeoutSeconds, band } = outcome.recommendation;
  const winner = tiers.find((t) => t.memoryMb === memoryMb)!;
  const { boundMs } = recommendTimeout(winner, tiers);
  return {
    memoryMb,
    invocations: result.invocations,
    explorationUsd,
    timeout: timeoutCheck(fn, truth, records, memoryMb, timeoutSeconds, boundMs),
    ...(band !== undefined && { band: [band.sizes[0]!, band.sizes.at(-1)!] as [number, number] }),
  };
}

function capacityOf(target: ReplayTarget): Map<number, number> {
  return new Map(target.availableSizes().map((m) => [m, target.capacity(m)] as const));
}

/** How the replayed function behaves: as recorded, or with the first call of each size cold. */
type Condition = "replay" | "first calls";

function targetFor(fn: BenchFunction, seed: number, condition: Condition): Target {
  const target = replay(fn, seed);
  return condition === "replay" ? target : withColdStarts(target, seed, firstCallModel(seed));
}

const lambdaTune = (budget: number): Method => ({
  name: `lambda-tune --budget ${budget}`,
  run(fn, truth, seed, condition) {
    const target = replay(fn, seed);
    const planner = createAdaptivePlanner({
      budget,
      sizes: target.availableSizes(),
      pricing,
      capacity: capacityOf(target),
      ...(TIE !== undefined && { tieTolerance: TIE }),
    });
    return recommendFrom(fn, truth, targetFor(fn, seed, condition), planner);
  },
});

const fixedGrid: Method = {
  name: `fixed grid ${DEFAULT_SIZES.length}x${DEFAULT_INVOCATIONS}`,
  run(fn, truth, seed, condition) {
    const sizes = [...new Set(DEFAULT_SIZES.map((m) => nearestSize(sizesOf(fn), m)))];
    return recommendFrom(
      fn,
      truth,
      targetFor(fn, seed, condition),
      createFixedGridPlanner({ sizes, invocationsPerSize: DEFAULT_INVOCATIONS }),
    );
  },
};

const powerTuning = (calls: number): Method => ({
  name: `power-tuning 6x${calls}`,
  async run(fn, _truth, seed, condition) {
    const sizes = powerTuningSizes(sizesOf(fn));
    const { result, explorationUsd } = await sweep(
      targetFor(fn, seed, condition),
      createFixedGridPlanner({ sizes, invocationsPerSize: calls }),
    );
    const memoryMb = powerTuningPick(result.records, pricing);
    return { memoryMb, invocations: result.invocations, explorationUsd };
  },
});

const parrotfish: Method = {
  name: "parrotfish 4x5",
  async run(fn, _truth, seed, condition) {
    const sizes = parrotfishSizes(sizesOf(fn));
    const { result, explorationUsd } = await sweep(
      targetFor(fn, seed, condition),
      createFixedGridPlanner({ sizes, invocationsPerSize: 5 }),
    );
    const memoryMb = parrotfishPick(result.records, sizesOf(fn), pricing);
    return { memoryMb, invocations: result.invocations, explorationUsd };
  },
};

function sizesOf(fn: BenchFunction): number[] {
  return [...new Set(fn.records.map((r) => r.memorySizeMB))].sort((a, b) => a - b);
}

interface Scored {
  regrets: number[];
  runs: Run[];
  /** One per function (a pooled row has several). */
  stabilities: Stability[];
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;

function row(label: string, method: string, condition: string, scored: Scored): string[] {
  const { regrets, runs } = scored;
  const within = regrets.filter((r) => r <= 0.05).length / regrets.length;
  const calls = runs.reduce((s, r) => s + r.invocations, 0) / runs.length;
  const usd = runs.reduce((s, r) => s + r.explorationUsd, 0) / runs.length;
  const timed = runs.flatMap((r) => (r.timeout === undefined ? [] : [r.timeout]));
  let timeout = "n/a";
  if (timed.length > 0) {
    const heldOut = Math.max(
      timed.reduce((s, t) => s + t.heldOut, 0),
      1,
    );
    const share = (count: (t: TimeoutCheck) => number) =>
      pct(timed.reduce((s, t) => s + count(t), 0) / heldOut, 2);
    const bounded = (ok: (t: TimeoutCheck) => boolean) =>
      pct(timed.filter(ok).length / timed.length, 0);
    timeout =
      `${share((t) => t.above)} / ${bounded((t) => t.withinBound)} s; ` +
      `${share((t) => t.aboveMs)} / ${bounded((t) => t.withinBoundMs)} ms`;
  }
  return [
    label,
    method,
    condition,
    pct(quantile(regrets, 0.5)),
    pct(quantile(regrets, 0.95)),
    pct(Math.max(...regrets)),
    pct(within, 0),
    calls.toFixed(1),
    stability(scored.stabilities),
    `$${usd.toExponential(2)}`,
    timeout,
  ];
}

interface Stability {
  /** The largest pick over the smallest. */
  ratio: number;
  /** Share of runs whose band's range holds every other run's pick. */
  holding: number;
}

/** How stable the answer is over the seeds of one function (lambda-tune only: it states a band). */
function stabilityOf(runs: readonly Run[]): Stability | undefined {
  const bands = runs.flatMap((r) => (r.band === undefined ? [] : [r.band]));
  if (bands.length !== runs.length || runs.length === 0) return undefined;
  const picks = runs.map((r) => r.memoryMb);
  const holding = bands.filter(([low, high]) => picks.every((m) => m >= low && m <= high));
  return { ratio: Math.max(...picks) / Math.min(...picks), holding: holding.length / bands.length };
}

/** Per function, or over several: the worst ratio and the mean share. */
function stability(each: readonly Stability[]): string {
  if (each.length === 0) return "-";
  const ratio = Math.max(...each.map((x) => x.ratio));
  const holding = each.reduce((sum, x) => sum + x.holding, 0) / each.length;
  return `${ratio.toFixed(2)}x, ${pct(holding, 0)}`;
}

function print(rows: string[][]): void {
  const header = [
    "function",
    "method",
    "first calls",
    "median regret",
    "p95 regret",
    "max regret",
    "within 5%",
    "calls",
    "picks max/min, bands holding all",
    "exploration",
    "timeout: held-out over / within 3x p99 + init (whole s; ms bound)",
  ];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  for (const r of all)
    console.log(
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    );
}

export async function run(): Promise<void> {
  const functions = [
    ...(await pacslabFunctions()),
    await staircaseFunction(),
    await randomPhaseStaircaseFunction(),
  ];
  const methods = [
    ...BUDGETS.map((budget) => lambdaTune(budget)),
    fixedGrid,
    powerTuning(5),
    powerTuning(10),
    parrotfish,
  ];
  const conditions: Condition[] = FIRST_CALLS ? ["replay", "first calls"] : ["replay"];
  const label = (c: Condition) => (c === "replay" ? "warm" : "cold, inflated");
  const pooled = new Map<string, Scored>();
  const rows: string[][] = [];
  for (const fn of functions) {
    const truth = truthOf(fn, pricing);
    for (const condition of conditions) {
      for (const method of methods) {
        const scored: Scored = { regrets: [], runs: [], stabilities: [] };
        for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
          const outcome = await method.run(fn, truth, seed, condition);
          scored.runs.push(outcome);
          scored.regrets.push(truth.costBySize.get(outcome.memoryMb)! / truth.cheapestCostUsd - 1);
        }
        const own = stabilityOf(scored.runs);
        if (own !== undefined) scored.stabilities.push(own);
        rows.push(row(fn.name, method.name, label(condition), scored));
        for (const group of [fn.group, "all"]) {
          const key = `${group}\t${method.name}\t${label(condition)}`;
          const sum = pooled.get(key) ?? { regrets: [], runs: [], stabilities: [] };
          sum.regrets.push(...scored.regrets);
          sum.runs.push(...scored.runs);
          sum.stabilities.push(...scored.stabilities);
          pooled.set(key, sum);
        }
      }
    }
  }
  for (const [key, scored] of pooled) {
    const [group, method, condition] = key.split("\t") as [string, string, string];
    if (group === "pacslab-2020") rows.push(row("pacslab all", method, condition, scored));
  }
  for (const [key, scored] of pooled) {
    const [group, method, condition] = key.split("\t") as [string, string, string];
    if (group === "all") rows.push(row("pacslab+staircase", method, condition, scored));
  }
  console.log(`planner: ${SEEDS} seeded runs per function, method and first-call condition`);
  print(rows);
}
