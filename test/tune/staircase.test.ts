import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ReportRecord } from "../../src/logs/record.js";
import { resolvePricing } from "../../src/model/pricing.js";
import { createRandom } from "../../src/model/random.js";
import { recommend } from "../../src/model/recommend.js";
import { buildTiers } from "../../src/model/stats.js";
import { createReplayTarget } from "../../src/targets/replay/replay-target.js";
import { createAdaptivePlanner } from "../../src/tune/adaptive-planner.js";
import type { Observations } from "../../src/tune/plan.js";
import { probeSizes } from "../../src/tune/probe-sizes.js";
import {
  detectWorkMs,
  modelDurationMs,
  staircaseSize,
  stepEdgeMb,
  throttledPeriods,
} from "../../src/tune/staircase.js";
import { runSweep } from "../../src/tune/sweep.js";

const pricing = resolvePricing({ region: "us-east-1", architecture: "x86_64" });
/** 128..1,848 MB every 8 MB, as a live target's `--memory` range might allow. */
const SIZES = Array.from({ length: 216 }, (_, i) => 128 + 8 * i);

/** As the real staircase runs (fixtures/data): 20 ms per throttled period and ~1.5 ms, unthrottled the CPU time. */
function stepped(workMs: number) {
  return (m: number) => {
    const k = throttledPeriods(workMs, m);
    return k === 0 ? workMs : 20 * k + 1.5;
  };
}

function records(
  durationAt: (m: number) => number,
  { sizes = SIZES, noise = 0.03, perSize = 30, seed = 1 } = {},
): ReportRecord[] {
  const random = createRandom(seed);
  return sizes.flatMap((m) =>
    Array.from({ length: perSize }, (_, i) => {
      const durationMs = durationAt(m) * (1 + noise * (2 * random() - 1));
      return {
        requestId: `${m}-${i}`,
        durationMs,
        billedDurationMs: Math.ceil(durationMs),
        memorySizeMB: m,
        maxMemoryUsedMB: 40,
        status: "success" as const,
      };
    }),
  );
}

function observe(durationAt: (m: number) => number, sizes: readonly number[]): Observations {
  return new Map(sizes.map((m) => [m, records(durationAt, { sizes: [m], perSize: 1 })]));
}

async function tune(all: ReportRecord[], budget: number, seed: number) {
  const target = createReplayTarget({ records: all, name: "stepped", seed });
  const sizes = target.availableSizes();
  const planner = createAdaptivePlanner({
    budget,
    sizes,
    pricing,
    capacity: new Map(sizes.map((m) => [m, target.capacity(m)])),
  });
  const result = await runSweep({ target, planner, payload: "{}", concurrency: 1 });
  const outcome = recommend(buildTiers([...result.records.values()].flat(), pricing), {
    strategy: "cost",
    pricing,
  });
  return { result, planner, memoryMb: outcome.recommendation?.memoryMb };
}

describe("the CFS model", () => {
  it("throttles whole 20 ms periods until the CPU time fits into the quotas", () => {
    // 17 ms of CPU: at 1,769 MB one quota is 20 ms; at 885 MB 10 ms, so one wait.
    assert.equal(throttledPeriods(17, 1769), 0);
    assert.equal(throttledPeriods(17, 885), 1);
    assert.equal(throttledPeriods(17, 128), 11);
  });

  it("predicts what production sees: the mean over a random start phase", () => {
    assert.ok(Math.abs(modelDurationMs(17, 2048) - 17) < 1e-9);
    // At 885 MB the quota is 10 ms per 20 ms period: 17 ms of CPU take 21 to 29 ms by phase.
    const mean = modelDurationMs(17, 885);
    assert.ok(mean > 21 && mean < 29, `${mean}`);
    // Smoother than a start at a period's beginning, but it falls where a step ends.
    assert.ok(modelDurationMs(17, 760) < modelDurationMs(17, 740) - 5);
  });

  it("puts step k's left edge where the CPU time fits into k + 1 quotas", () => {
    const edge = stepEdgeMb(17, 1);
    assert.ok(Math.abs(edge - 751.8) < 0.1);
    assert.equal(throttledPeriods(17, edge * 1.001), 1);
    assert.equal(throttledPeriods(17, edge * 0.999), 2);
  });
});

describe("detectWorkMs", () => {
  const probes = probeSizes(SIZES);

  it("reads the CPU time from the probe at one vCPU when the probes below are stepped", () => {
    const workMs = detectWorkMs(observe(stepped(17), probes), probes);
    assert.ok(workMs !== undefined && Math.abs(workMs - 17) < 1, `${workMs}`);
  });

  it("does not call a long CPU-bound function short", () => {
    const smooth = (m: number) => (700 * 1769) / Math.min(m, 1769);
    assert.equal(detectWorkMs(observe(smooth, probes), probes), undefined);
  });

  it("does not call a short function stepped when its duration is mostly waiting", () => {
    // 5 ms of CPU and 40 ms of I/O: the probes do not show the model's periods.
    const waiting = (m: number) => modelDurationMs(5, m) + 40;
    assert.equal(detectWorkMs(observe(waiting, probes), probes), undefined);
  });

  it("needs a probe at one vCPU or more", () => {
    const below = probes.filter((m) => m < 1769);
    assert.equal(detectWorkMs(observe(stepped(17), below), below), undefined);
  });
});

describe("staircaseSize", () => {
  it("measures just right of the predicted edge of the cheapest step", () => {
    const probes = probeSizes(SIZES);
    const observations = observe(stepped(17), probes);
    const next = staircaseSize(17, SIZES, observations, () => true);
    // Step 1 (one throttled period) is cheapest; its edge is at ~752 MB.
    assert.equal(next, 760);
  });

  it("moves right of a size that had a call on the slower step", () => {
    const observations = new Map(observe(stepped(17), probeSizes(SIZES)));
    observations.set(
      760,
      records(() => 41.5, { sizes: [760], perSize: 1 }),
    );
    assert.equal(
      staircaseSize(17, SIZES, observations, () => true),
      768,
    );
  });

  it("is done once the edge has its calls", () => {
    const observations = new Map(observe(stepped(17), probeSizes(SIZES)));
    observations.set(760, records(stepped(17), { sizes: [760], perSize: 2 }));
    assert.equal(
      staircaseSize(17, SIZES, observations, () => true),
      undefined,
    );
  });
});

describe("the adaptive planner on a staircase", () => {
  it("ends on the left edge of the cheapest step", async () => {
    // True edge of step 1 for 16.2 ms of CPU: 717 MB; the next size, 720 MB, is the cheapest.
    const all = records(stepped(16.2), { noise: 0.01 });
    for (const seed of [1, 2, 3]) {
      for (const budget of [15, 20]) {
        const { memoryMb, result } = await tune(all, budget, seed);
        assert.ok(result.invocations <= budget);
        assert.ok(
          memoryMb !== undefined && memoryMb >= 720 && memoryMb <= 736,
          `seed ${seed}, budget ${budget}: ${memoryMb}`,
        );
      }
    }
  });

  it("finds the edge further right when the prediction lands on the slower step", async () => {
    // Probes say ~16 ms (edge ~708 MB), but from 512 MB every size up to 800 MB runs two periods.
    const durationAt = (m: number) => (m >= 512 && m < 800 ? 41.5 : stepped(16)(m));
    const { memoryMb } = await tune(records(durationAt), 20, 1);
    assert.ok(memoryMb !== undefined && memoryMb >= 800 && memoryMb <= 816, `${memoryMb}`);
  });

  it("gives the same plan for the same records", async () => {
    const all = records(stepped(17));
    const first = await tune(all, 20, 7);
    const second = await tune(all, 20, 7);
    assert.deepEqual([...first.result.records.keys()], [...second.result.records.keys()]);
    assert.equal(first.memoryMb, second.memoryMb);
  });
});
