// Figure for the regression gate: how often `--fail-on-regression 10%` trips when
// two replay runs of the same recording are compared (false alarms; goal < 1%),
// and when the second run replays a copy 20% slower (detection). Default grid
// (128,256,512,1024,1536 x 10), seeds 2i-1 and 2i for pair i, no current
// configuration, so the gate watches the baseline's recommended size.

import type { GateMetric } from "../src/document/comparison.js";
import type { ResultDocument } from "../src/document/result.js";
import type { ReportRecord } from "../src/logs/record.js";
import { compareResults } from "../src/model/compare.js";
import { resolvePricing } from "../src/model/pricing.js";
import { loadRecording } from "../src/targets/replay/load.js";
import { createReplayTarget } from "../src/targets/replay/replay-target.js";
import { DEFAULT_INVOCATIONS, DEFAULT_SIZES } from "../src/tune/memory-spec.js";
import { tune } from "../src/tune/tune.js";

const PAIRS = 100;
const THRESHOLD = 0.1;
const SLOWDOWN = 1.2;
const FUNCTIONS = ["f1", "f2", "f3", "f4", "f5", "f6"];

const pricing = resolvePricing({ region: "us-east-1", architecture: "x86_64" });

async function replayRun(records: readonly ReportRecord[], seed: number): Promise<ResultDocument> {
  const target = createReplayTarget({ records, name: "recording", seed });
  return tune({
    target,
    info: await target.describe(),
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
}

/** The recording as if the function ran `factor` times longer; Lambda bills ceil(Duration) in ms. */
export function slowedDown(records: readonly ReportRecord[], factor: number): ReportRecord[] {
  return records.map((r) => {
    const durationMs = Math.round(r.durationMs * factor * 100) / 100;
    return { ...r, durationMs, billedDurationMs: Math.ceil(durationMs) };
  });
}

interface Tally {
  tripped: number;
  by: Map<GateMetric, number>;
}

function tally(): Tally {
  return { tripped: 0, by: new Map() };
}

function count(t: Tally, baseline: ResultDocument, current: ResultDocument): void {
  const gate = compareResults(baseline, current, { threshold: THRESHOLD }).gate!;
  if (!gate.tripped) return;
  t.tripped++;
  for (const check of gate.checks.filter((c) => c.tripped)) {
    t.by.set(check.metric, (t.by.get(check.metric) ?? 0) + 1);
  }
}

function rate(t: Tally, pairs: number): string {
  const by = [...t.by].map(([metric, n]) => `${metric} ${n}`).join(", ");
  const percent = `${((100 * t.tripped) / pairs).toFixed(1)}%`.padStart(6);
  return `${percent}${by === "" ? "" : ` (${by})`}`;
}

export async function run(): Promise<void> {
  console.log(
    `--fail-on-regression ${THRESHOLD * 100}%, default grid ${DEFAULT_SIZES.join(",")} x ${DEFAULT_INVOCATIONS}, ${PAIRS} seed pairs per function`,
  );
  console.log("function  false alarms (same recording)   detected (20% slower)");
  const all = { same: tally(), slow: tally() };
  for (const fn of FUNCTIONS) {
    const { records } = await loadRecording(`fixtures/recordings/pacslab-${fn}.log`);
    const slow = slowedDown(records, SLOWDOWN);
    const same = tally();
    const slower = tally();
    for (let pair = 1; pair <= PAIRS; pair++) {
      const baseline = await replayRun(records, 2 * pair - 1);
      const again = await replayRun(records, 2 * pair);
      const slowRun = await replayRun(slow, 2 * pair);
      count(same, baseline, again);
      count(slower, baseline, slowRun);
      count(all.same, baseline, again);
      count(all.slow, baseline, slowRun);
    }
    console.log(`${fn.padEnd(9)} ${rate(same, PAIRS).padEnd(31)} ${rate(slower, PAIRS)}`);
  }
  const total = PAIRS * FUNCTIONS.length;
  console.log(
    `${"overall".padEnd(9)} ${rate(all.same, total).padEnd(31)} ${rate(all.slow, total)}`,
  );
}
