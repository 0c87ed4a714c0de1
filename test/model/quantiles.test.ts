import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  normalQuantile,
  studentTQuantile,
  welchDegreesOfFreedom,
} from "../../src/model/quantiles.js";

const close = (actual: number, expected: number, tolerance: number) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`);

describe("quantiles", () => {
  it("match tables of the normal and t distributions", () => {
    close(normalQuantile(0.975), 1.95996, 5e-4);
    close(normalQuantile(0.95), 1.64485, 5e-4);
    close(normalQuantile(0.025), -1.95996, 5e-4);
    // t(0.975) for df 1, 2, 3, 5, 9, 30 (any statistics table).
    for (const [df, t] of [
      [1, 12.706],
      [2, 4.303],
      [3, 3.182],
      [5, 2.571],
      [9, 2.262],
      [30, 2.042],
    ] as const) {
      close(studentTQuantile(0.975, df), t, 5e-3);
    }
    close(studentTQuantile(0.975, Number.POSITIVE_INFINITY), 1.96, 1e-3);
  });

  it("give Welch's degrees of freedom: n1 + n2 - 2 for equal spreads and sizes", () => {
    close(welchDegreesOfFreedom(1, 10, 1, 10), 18, 1e-9);
    close(welchDegreesOfFreedom(1, 10, 0, 10), 9, 1e-9);
    assert.equal(welchDegreesOfFreedom(0, 10, 0, 10), Number.POSITIVE_INFINITY);
  });
});
