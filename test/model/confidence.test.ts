import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ReportRecord } from "../../src/logs/record.js";
import { withBootstrapConfidence } from "../../src/model/confidence.js";
import { resolvePricing } from "../../src/model/pricing.js";
import { createRandom } from "../../src/model/random.js";
import { recommend } from "../../src/model/recommend.js";
import { buildTiers } from "../../src/model/stats.js";

const pricing = resolvePricing({ region: "us-east-1", architecture: "x86_64" });

function records(memorySizeMB: number, durations: number[]): ReportRecord[] {
  return durations.map((durationMs, i) => ({
    requestId: `${memorySizeMB}-${i}`,
    durationMs,
    billedDurationMs: Math.ceil(durationMs),
    memorySizeMB,
    maxMemoryUsedMB: 50,
    status: "success",
  }));
}

describe("withBootstrapConfidence", () => {
  const all = [
    ...records(512, [1000, 1010, 990, 1005, 995]),
    ...records(1024, [560, 555, 565, 570, 550]),
  ];
  const outcome = recommend(buildTiers(all, pricing), { strategy: "cost", pricing });
  const recommendation = outcome.recommendation!;

  it("gives an interval on the runner-up's extra cost that excludes 0 when the gap is clear", () => {
    assert.equal(recommendation.memoryMb, 512);
    const sure = withBootstrapConfidence(recommendation, all, pricing, createRandom(1));
    const { interval, costDifference, runnerUpMemoryMb, level } = sure.confidence!;
    assert.equal(runnerUpMemoryMb, 1024);
    assert.equal(level, 0.95);
    assert.ok(interval[0] > 0 && interval[0] <= costDifference && costDifference <= interval[1]);
    // Stated once, in `confidence` and `runnerUp`, not again in the reason.
    assert.doesNotMatch(sure.reason, /runner-up|interval|resamples/);
    assert.deepEqual(sure.runnerUp?.warmCalls, [5, 5]);
  });

  it("gives no interval from fewer than 3 warm calls per side, and says so", () => {
    // Issue 14: "+6.0% to +6.0% more (95% bootstrap interval over 1 and 1 calls)".
    const few = [
      ...records(512, [1000, 1010]),
      ...records(1024, [560, 555, 565, 570]),
      { ...records(1024, [900])[0]!, requestId: "cold", initDurationMs: 300 },
    ];
    const picked = recommend(buildTiers(few, pricing), { strategy: "cost", pricing });
    const rec = withBootstrapConfidence(picked.recommendation!, few, pricing, createRandom(1));
    assert.equal(rec.confidence, undefined);
    assert.deepEqual(rec.runnerUp?.warmCalls, [2, 4]);
    assert.equal(rec.runnerUp?.enoughCalls, false);
    assert.doesNotMatch(rec.reason, /interval|resamples/);
  });

  it("is the same for the same seed", () => {
    const a = withBootstrapConfidence(recommendation, all, pricing, createRandom(7));
    const b = withBootstrapConfidence(recommendation, all, pricing, createRandom(7));
    assert.deepEqual(a.confidence, b.confidence);
  });
});

describe("recommend under cost: ties and speed", () => {
  it("keeps the cheapest when a tied size is faster only by noise", () => {
    // 512 and 520 MB on one CPU step: equally fast, 520 MB dearer within noise, its median
    // 0.5 ms lower by chance; before, that handed it the tie.
    const all = [
      ...records(512, [20, 22, 21, 23, 20, 22]),
      ...records(520, [21, 21, 22, 22, 20, 21]),
    ];
    const outcome = recommend(buildTiers(all, pricing), { strategy: "cost", pricing });
    assert.equal(outcome.recommendation?.memoryMb, 512);
  });
});
