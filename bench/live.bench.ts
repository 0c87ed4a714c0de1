// The planner and the recommendation judged live, on the local emulator
// (real sandboxes under CPU and memory limits, a cold first call at every
// newly prepared size), against a dense warm ground truth measured twice.
//
//   npm run bench -- live                 the full measurement (~30-60 min on 2 cores)
//   LIVE_BENCH_QUICK=1 npm run bench -- live    a smoke run (~3 min)
//   LIVE_BENCH_FIXTURES=cpu-bound,lazy-init     only these fixtures
//   LIVE_BENCH_RUNS=8                           planner runs per fixture (seeds 1..N)
//   LIVE_BENCH_STABILITY=8                      runs of README's main command
//   LIVE_BENCH_OUT=live.json                    also write every figure as JSON
//
// Live figures depend on the machine: each fixture's section names the load
// average before and after it. Measure on a quiet machine.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import type { ResultDocument } from "../src/document/result.js";
import { everyMemorySize } from "../src/lambda.js";
import { isColdStart, type ReportRecord } from "../src/logs/record.js";
import { costPerInvocation } from "../src/model/cost.js";
import { resolvePricing } from "../src/model/pricing.js";
import { DEFAULT_TIE_TOLERANCE } from "../src/model/recommend.js";
import type { Target } from "../src/targets/target.js";
import { DEFAULT_BUDGET } from "../src/tune/budget.js";
import { createFixedGridPlanner } from "../src/tune/plan.js";
import { runSweep } from "../src/tune/sweep.js";
import { tune } from "../src/tune/tune.js";
import { createLocalTarget, HOST_CORES, limitBackend } from "./built.js";
import { powerTuningPick, powerTuningSizes } from "./planner-anchors.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const QUICK = process.env.LIVE_BENCH_QUICK === "1";
const FIXTURES = (
  process.env.LIVE_BENCH_FIXTURES ?? "cpu-bound,mixed,io-bound,memory-hungry,lazy-init"
).split(",");
const RUNS = Number(process.env.LIVE_BENCH_RUNS ?? (QUICK ? 2 : 8));
const STABILITY_RUNS = Number(process.env.LIVE_BENCH_STABILITY ?? (QUICK ? 2 : 8));
/** The dense grid of the ground truth: 128-1,792 MB every 128 MB, then 2,048 and 3,008. */
const GRID = QUICK
  ? [128, 512, 1024, 1792]
  : [...Array.from({ length: 14 }, (_, i) => 128 * (i + 1)), 2048, 3008];
/** Warm calls per size of the ground truth (after the cold first call). */
const WARM_CALLS = QUICK ? 4 : 10;
const pricing = resolvePricing({ region: "us-east-1", architecture: "x86_64" });
const tie = DEFAULT_TIE_TOLERANCE;

function load(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
}

async function localTarget(fixture: string): Promise<Target> {
  const isolation = await limitBackend("auto");
  return createLocalTarget({
    handler: `fixtures/functions/${fixture}/index.handler`,
    cwd: ROOT,
    isolation,
    hostCores: HOST_CORES,
    timeoutSeconds: 60,
  });
}

async function withTarget<T>(fixture: string, use: (target: Target) => Promise<T>): Promise<T> {
  const target = await localTarget(fixture);
  try {
    return await use(target);
  } finally {
    await target.restore();
  }
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Mean warm cost per size; a size whose calls failed has none (it can never be picked). */
function warmCosts(records: Map<number, ReportRecord[]>): Map<number, number> {
  const costs = new Map<number, number>();
  for (const [memoryMb, all] of records) {
    if (all.some((r) => r.status !== "success")) continue;
    const warm = all.filter((r) => !isColdStart(r));
    if (warm.length > 0) costs.set(memoryMb, mean(warm.map((r) => costPerInvocation(r, pricing))));
  }
  return costs;
}

async function grid(fixture: string, sizes: readonly number[], calls: number) {
  return withTarget(fixture, async (target) => {
    const sweep = await runSweep({
      target,
      planner: createFixedGridPlanner({ sizes, invocationsPerSize: calls }),
      payload: "{}",
      concurrency: 1,
    });
    return sweep.records;
  });
}

interface GroundTruth {
  replicates: [Map<number, number>, Map<number, number>];
  /** The mean of the two replicates, per size. */
  cost: Map<number, number>;
  cheapestMb: number;
  cheapestUsd: number;
  /** Median over sizes of |A - B| / mean: how much a size's cost moves between two measurements. */
  spread: number;
  /** Sizes within the tie tolerance (or the spread, when wider) of the cheapest. */
  band: number[];
  /** Whether the cheapest stands apart from the next cheapest by more than the spread. */
  separates: boolean;
}

function groundTruth(a: Map<number, number>, b: Map<number, number>): GroundTruth {
  const cost = new Map<number, number>();
  const spreads: number[] = [];
  for (const [memoryMb, x] of a) {
    const y = b.get(memoryMb);
    if (y === undefined) continue;
    cost.set(memoryMb, (x + y) / 2);
    spreads.push(Math.abs(x - y) / ((x + y) / 2));
  }
  const sorted = [...cost].sort((p, q) => p[1] - q[1]);
  const [cheapestMb, cheapestUsd] = sorted[0]!;
  spreads.sort((p, q) => p - q);
  const spread = spreads[Math.floor(spreads.length / 2)] ?? 0;
  const limit = cheapestUsd * (1 + Math.max(tie, spread));
  const band = sorted.filter(([, c]) => c <= limit).map(([m]) => m);
  const next = sorted[1]?.[1] ?? Number.POSITIVE_INFINITY;
  return {
    replicates: [a, b],
    cost,
    cheapestMb,
    cheapestUsd,
    spread,
    band: band.sort((p, q) => p - q),
    separates: next / cheapestUsd - 1 > spread,
  };
}

/**
 * The true cost at a picked size: the ground truth's, linear in memory
 * between the grid sizes around it. Measuring the pick again later would
 * compare costs taken under a different load (on a shared host, minutes apart,
 * that moved costs by several percent), which the interpolation avoids.
 */
function truthAt(memoryMb: number, truth: GroundTruth): number {
  const known = truth.cost.get(memoryMb);
  if (known !== undefined) return known;
  const sizes = [...truth.cost.keys()].sort((a, b) => a - b);
  const above = sizes.findIndex((m) => m > memoryMb);
  if (above <= 0) return truth.cost.get(above === 0 ? sizes[0]! : sizes.at(-1)!)!;
  const low = sizes[above - 1]!;
  const high = sizes[above]!;
  const t = (memoryMb - low) / (high - low);
  return truth.cost.get(low)! + t * (truth.cost.get(high)! - truth.cost.get(low)!);
}

interface PlannerRun {
  seed: number;
  memoryMb: number | null;
  band: number[];
  calls: number;
  wallMs: number;
  regret: number;
}

async function plannerRun(fixture: string, seed: number): Promise<ResultDocument> {
  return withTarget(fixture, async (target) => {
    const info = await target.describe();
    return tune({
      target,
      info,
      plan: { kind: "adaptive", budget: DEFAULT_BUDGET, sizes: everyMemorySize() },
      seed,
      payload: "{}",
      concurrency: 1,
      pricing,
      strategy: "cost",
      targetKind: target.kind,
      toolVersion: "bench",
      now: () => new Date(),
    });
  });
}

/** README's main command, as a user runs it (the built CLI), its result kept with --out. */
function mainCommand(out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["bin/lambda-tune.js", "run", "fixtures/functions/cpu-bound/index.handler", "--out", out],
      { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, CI: "1" } },
    );
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`lambda-tune exited ${code}`)),
    );
  });
}

function print(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  for (const r of rows)
    console.log(
      `  ${r
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd()}`,
    );
}

async function fixtureSection(fixture: string, report: Record<string, unknown>): Promise<void> {
  console.log(`\n${fixture} (load ${load()})`);
  let started = performance.now();
  const a = warmCosts(await grid(fixture, GRID, WARM_CALLS + 1));
  const b = warmCosts(await grid(fixture, GRID, WARM_CALLS + 1));
  const truthMs = performance.now() - started;
  const truth = groundTruth(a, b);
  console.log(
    `  ground truth: ${GRID.length} sizes x (1 cold + ${WARM_CALLS} warm), twice, ${seconds(truthMs)}; ` +
      `cheapest ${truth.cheapestMb} MB; replicate spread ${pct(truth.spread)} (median |A-B|/mean); ` +
      `band within ${pct(Math.max(tie, truth.spread), 0)}: ${truth.band.join(", ")} MB; ` +
      `${truth.separates ? "separates" : "does not separate"} the cheapest beyond the spread`,
  );
  print([
    ["MB", "A per 1M", "B per 1M", "A-B", "vs cheapest"],
    ...[...truth.cost.keys()]
      .sort((p, q) => p - q)
      .map((m) => {
        const x = a.get(m)!;
        const y = b.get(m)!;
        return [
          String(m),
          `$${(x * 1e6).toFixed(3)}`,
          `$${(y * 1e6).toFixed(3)}`,
          pct((x - y) / ((x + y) / 2)),
          pct(truth.cost.get(m)! / truth.cheapestUsd - 1),
        ];
      }),
  ]);

  const runs: PlannerRun[] = [];
  for (let seed = 1; seed <= RUNS; seed++) {
    started = performance.now();
    const doc = await plannerRun(fixture, seed);
    const wallMs = performance.now() - started;
    const memoryMb = doc.recommendation?.memoryMb ?? null;
    const regret =
      memoryMb === null ? Number.NaN : truthAt(memoryMb, truth) / truth.cheapestUsd - 1;
    runs.push({
      seed,
      memoryMb,
      band: doc.recommendation?.band?.sizes ?? [],
      calls: doc.tuningCost.invocations,
      wallMs,
      regret,
    });
  }
  started = performance.now();
  const ptSizes = powerTuningSizes(everyMemorySize());
  const ptRecords = await grid(fixture, ptSizes, 10);
  const ptWallMs = performance.now() - started;
  const ptPick = powerTuningPick(ptRecords, pricing);
  const ptRegret = truthAt(ptPick, truth) / truth.cheapestUsd - 1;

  const regrets = runs.map((r) => r.regret).sort((p, q) => p - q);
  const median = regrets[Math.floor((regrets.length - 1) / 2)]!;
  const inBand = (m: number | null) =>
    m !== null && truthAt(m, truth) <= truth.cheapestUsd * (1 + Math.max(tie, truth.spread));
  print([
    ["run", "pick MB", "regret", "in truth's band", "its band", "calls", "wall"],
    ...runs.map((r) => [
      `seed ${r.seed}`,
      String(r.memoryMb),
      pct(r.regret),
      inBand(r.memoryMb) ? "yes" : "no",
      r.band.length === 0 ? "-" : `${r.band[0]}-${r.band.at(-1)} (${r.band.length})`,
      String(r.calls),
      seconds(r.wallMs),
    ]),
    [
      "power-tuning 6x10",
      String(ptPick),
      pct(ptRegret),
      inBand(ptPick) ? "yes" : "no",
      "-",
      "60",
      seconds(ptWallMs),
    ],
  ]);
  const goal = truth.separates
    ? `median regret ${pct(median)} (goal <= 2%), worst ${pct(regrets.at(-1)!)} (goal <= 5%)`
    : `${runs.filter((r) => inBand(r.memoryMb)).length} of ${runs.length} picks inside the truth's band (goal: all)`;
  console.log(
    `  lambda-tune: ${goal}; mean wall ${seconds(mean(runs.map((r) => r.wallMs)))} (load ${load()})`,
  );
  report[fixture] = {
    load: load(),
    truth: {
      cheapestMb: truth.cheapestMb,
      spread: truth.spread,
      band: truth.band,
      separates: truth.separates,
      costPerMillion: Object.fromEntries([...truth.cost].map(([m, c]) => [m, c * 1e6])),
      replicates: truth.replicates.map((r) =>
        Object.fromEntries([...r].map(([m, c]) => [m, c * 1e6])),
      ),
      wallMs: truthMs,
    },
    runs,
    powerTuning: { memoryMb: ptPick, regret: ptRegret, wallMs: ptWallMs },
  };
}

async function stability(report: Record<string, unknown>): Promise<void> {
  console.log(
    `\nstability: ${STABILITY_RUNS} runs of \`npx lambda-tune run fixtures/functions/cpu-bound/index.handler\` (load ${load()})`,
  );
  const { mkdtemp, readFile, rm } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = await mkdtemp(join(tmpdir(), "lambda-tune-live-"));
  const picks: { memoryMb: number; band: number[] }[] = [];
  try {
    for (let i = 0; i < STABILITY_RUNS; i++) {
      const out = join(dir, `run-${i}.json`);
      await mainCommand(out);
      const doc = JSON.parse(await readFile(out, "utf8")) as ResultDocument;
      picks.push({
        memoryMb: doc.recommendation?.memoryMb ?? 0,
        band: doc.recommendation?.band?.sizes ?? [],
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const sizes = picks.map((p) => p.memoryMb);
  const ratio = Math.max(...sizes) / Math.min(...sizes);
  const contains = (band: number[], m: number) =>
    band.length > 0 && band[0]! <= m && m <= band.at(-1)!;
  const every = picks.every((p) => sizes.every((m) => contains(p.band, m)));
  print([
    ["run", "pick MB", "band"],
    ...picks.map((p, i) => [
      String(i + 1),
      String(p.memoryMb),
      `${p.band[0]}-${p.band.at(-1)} MB (${p.band.join(", ")})`,
    ]),
  ]);
  console.log(
    `  largest / smallest pick ${ratio.toFixed(2)} (goal <= 1.5); every band's range holds every pick: ${every ? "yes" : "no"} (load ${load()})`,
  );
  report.stability = { picks, ratio, bandsHoldEveryPick: every, load: load() };
}

export async function run(): Promise<void> {
  console.log(
    `live: the local emulator, ${HOST_CORES} cores${QUICK ? ", quick mode" : ""}; ` +
      `ground truth ${GRID.length} sizes, planner budget ${DEFAULT_BUDGET}, ${RUNS} seeded runs per fixture`,
  );
  const report: Record<string, unknown> = { quick: QUICK, cores: HOST_CORES, startLoad: load() };
  for (const fixture of FIXTURES) await fixtureSection(fixture, report);
  if (STABILITY_RUNS > 0) await stability(report);
  if (process.env.LIVE_BENCH_OUT !== undefined) {
    writeFileSync(process.env.LIVE_BENCH_OUT, `${JSON.stringify(report, null, 2)}\n`);
  }
}
