import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolvePricing } from "../../src/model/pricing.js";
import { createFixedGridPlanner } from "../../src/tune/plan.js";
import { createPlanner } from "../../src/tune/planners.js";

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

describe("createPlanner", () => {
  const context = {
    pricing: resolvePricing({ region: "us-east-1", architecture: "x86_64" }),
    strategy: "cost" as const,
  };

  it("makes the planner of the plan's kind", () => {
    const grid = createPlanner({ kind: "grid", sizes: [128, 256], invocationsPerSize: 3 }, context);
    assert.deepEqual(grid.plannedSizes, [128, 256]);
    assert.deepEqual(grid.next(new Map()), { memoryMb: 128, invocations: 3 });
    const adaptive = createPlanner(
      { kind: "adaptive", budget: 20, sizes: [128, 256, 512, 1024, 1792] },
      context,
    );
    assert.equal(adaptive.plannedSizes, undefined);
    assert.equal(adaptive.next(new Map())?.invocations, 1);
  });
});
