// Foundation figure: replay with the default grid (128,256,512,1024,1536 x 10) on
// each pacslab-2020 function; the recommended size's true cost over the cheapest of
// all 46 recorded sizes (regret). Truth: mean cost of every record at a size, 1 ms billing.

import { costPerInvocation } from "../src/model/cost.js";
import { resolvePricing } from "../src/model/pricing.js";
import { groupBySize } from "../src/model/stats.js";
import { loadRecording } from "../src/targets/replay/load.js";
import { createReplayTarget } from "../src/targets/replay/replay-target.js";
import { DEFAULT_INVOCATIONS, DEFAULT_SIZES } from "../src/tune/memory-spec.js";
import { tune } from "../src/tune/tune.js";

const SEEDS = 30;

export async function run(): Promise<void> {
  const pricing = resolvePricing({ region: "us-east-1", architecture: "x86_64" });
  console.log(
    `default grid ${DEFAULT_SIZES.join(",")} x ${DEFAULT_INVOCATIONS}, ${SEEDS} seeds each`,
  );
  console.log(
    "function  cheapest(all 46)  recommended (share of seeds)        median regret  max regret",
  );
  for (const fn of ["f1", "f2", "f3", "f4", "f5", "f6"]) {
    const { records } = await loadRecording(`fixtures/recordings/pacslab-${fn}.log`);
    const truth = new Map<number, number>();
    for (const [size, rs] of groupBySize(records)) {
      truth.set(size, rs.reduce((s, r) => s + costPerInvocation(r, pricing), 0) / rs.length);
    }
    const cheapest = [...truth].reduce((a, b) => (b[1] < a[1] ? b : a));
    const picks: number[] = [];
    const regrets: number[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const target = createReplayTarget({ records, name: fn, seed });
      const info = await target.describe();
      const doc = await tune({
        target,
        info,
        plan: { kind: "grid", sizes: DEFAULT_SIZES, invocationsPerSize: DEFAULT_INVOCATIONS },
        seed,
        payload: "{}",
        concurrency: 1,
        pricing,
        strategy: "cost",
        targetKind: "replay",
        toolVersion: "bench",
        now: () => new Date(0),
      });
      const pick = doc.recommendation?.memoryMb ?? Number.NaN;
      picks.push(pick);
      regrets.push((truth.get(pick) ?? Number.NaN) / cheapest[1] - 1);
    }
    const counts = new Map<number, number>();
    for (const p of picks) counts.set(p, (counts.get(p) ?? 0) + 1);
    const spread = [...counts]
      .sort((a, b) => b[1] - a[1])
      .map(([m, c]) => `${m} (${Math.round((100 * c) / SEEDS)}%)`)
      .join(", ");
    regrets.sort((a, b) => a - b);
    const median = regrets[Math.floor(regrets.length / 2)] ?? Number.NaN;
    const max = regrets[regrets.length - 1] ?? Number.NaN;
    console.log(
      `${fn.padEnd(9)} ${`${cheapest[0]} MB`.padEnd(17)} ${spread.padEnd(35)} ${(median * 100).toFixed(1).padStart(12)}% ${(max * 100).toFixed(1).padStart(10)}%`,
    );
  }
}
