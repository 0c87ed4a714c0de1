import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { costForDuration } from "../../src/model/cost.js";
import { predictedCurve } from "../../src/model/prediction.js";
import { US_EAST_1_X86 } from "./make-records.js";

describe("predictedCurve", () => {
  const fit = { name: "amdahl", parameters: { a: 2, b: 25_600, knee: 1769 } };

  it("gives the fitted duration and its cost at each size", () => {
    const [at256, at4096] = predictedCurve(fit, [256, 4096], US_EAST_1_X86);
    assert.deepEqual(at256, {
      memoryMb: 256,
      durationMs: 102,
      costPerInvocationUsd: costForDuration(256, 102, US_EAST_1_X86),
    });
    assert.ok(Math.abs((at4096?.durationMs ?? 0) - (2 + 25_600 / 1769)) < 1e-9);
  });

  it("never predicts a negative duration", () => {
    const falling = { name: "logarithmic", parameters: { a: 100, b: -20 } };
    const [point] = predictedCurve(falling, [10240], US_EAST_1_X86);
    assert.equal(point?.durationMs, 0);
    assert.equal(point?.costPerInvocationUsd, costForDuration(10240, 1, US_EAST_1_X86));
  });
});
