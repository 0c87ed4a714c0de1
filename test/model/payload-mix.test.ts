import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { summarizeWeighted } from "../../src/model/mix-stats.js";
import { callsForFullMix, normalizedWeights, payloadIndexAt } from "../../src/model/payload-mix.js";
import { summarize } from "../../src/model/stats.js";

const mix = { labels: ["#1", "#2", "#3", "#4"], weights: [4, 1, 1, 2], seed: 9 };

describe("payloadIndexAt", () => {
  it("gives every payload a call after the first in each round, the same for every size", () => {
    const calls = Array.from({ length: 1 + 4 * 3 }, (_, k) => payloadIndexAt(mix, k));
    for (let round = 0; round < 3; round++) {
      const inRound = calls.slice(1 + 4 * round, 5 + 4 * round).sort();
      assert.deepEqual(inRound, [0, 1, 2, 3], `round ${round}: ${calls}`);
    }
    assert.equal(callsForFullMix(mix), 5);
    assert.deepEqual(
      Array.from({ length: 13 }, (_, k) => payloadIndexAt(mix, k)),
      calls,
      "a function of the call's index alone",
    );
    assert.notDeepEqual(
      Array.from({ length: 13 }, (_, k) => payloadIndexAt({ ...mix, seed: 10 }, k)),
      calls,
      "seeded",
    );
  });

  it("weighs by the weights given, not by how often each payload is called", () => {
    assert.deepEqual(normalizedWeights(mix), [0.5, 0.125, 0.125, 0.25]);
  });
});

describe("summarizeWeighted", () => {
  it("gives summarize's centre, spread and ends for equal weights", () => {
    const values = [12, 3, 7, 7, 30, 1, 9];
    const weighted = summarizeWeighted(
      values,
      values.map(() => 2),
    );
    const plain = summarize(values);
    for (const key of ["count", "mean", "median", "min", "max", "stdDev"] as const) {
      assert.ok(
        Math.abs(weighted[key] - plain[key]) < 1e-9,
        `${key}: ${weighted[key]} vs ${plain[key]}`,
      );
    }
  });

  it("moves the median and mean toward the heavier values", () => {
    const d = summarizeWeighted([10, 100], [3, 1]);
    assert.equal(d.mean, 32.5);
    assert.ok(d.median < 55, `${d.median}`);
    assert.ok(d.p90 > d.median && d.p90 <= 100);
  });
});
