import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createFixedGridPlanner, isPlanner } from "../../src/tune/plan.js";

describe("createFixedGridPlanner", () => {
  it("steps through the sizes in order, then stops", () => {
    const planner = createFixedGridPlanner({ sizes: [128, 512, 1024], invocationsPerSize: 7 });
    assert.equal(planner.totalSteps, 3);
    const steps = [];
    for (let step = planner.next(new Map()); step; step = planner.next(new Map())) steps.push(step);
    assert.deepEqual(steps, [
      { memoryMb: 128, invocations: 7 },
      { memoryMb: 512, invocations: 7 },
      { memoryMb: 1024, invocations: 7 },
    ]);
    assert.equal(planner.next(new Map()), undefined);
  });

  it("refuses a count below 1 or a fraction as a bug in the caller", () => {
    assert.throws(
      () => createFixedGridPlanner({ sizes: [128], invocationsPerSize: 0 }),
      RangeError,
    );
    assert.throws(
      () => createFixedGridPlanner({ sizes: [128], invocationsPerSize: 2.5 }),
      RangeError,
    );
  });
});

describe("isPlanner", () => {
  it("tells a planner from a fixed plan", () => {
    assert.equal(isPlanner({ sizes: [128], invocationsPerSize: 1 }), false);
    assert.equal(isPlanner(createFixedGridPlanner({ sizes: [128], invocationsPerSize: 1 })), true);
  });
});
