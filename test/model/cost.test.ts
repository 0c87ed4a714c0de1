import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  billedDurationFor,
  costForDuration,
  costOfBilledDuration,
  costPerInvocation,
  totalCost,
} from "../../src/model/cost.js";
import { record, US_EAST_1_X86 } from "./make-records.js";

function assertCloseUsd(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) < 1e-18, `${actual} != ${expected}`);
}

describe("cost", () => {
  it("prices a REPORT record: 1024 MB, 100 ms billed, x86 us-east-1", () => {
    const r = record(1024, 99.12, { billedDurationMs: 100 });
    assertCloseUsd(costPerInvocation(r, US_EAST_1_X86), 0.00000166667 + 0.0000002);
  });

  it("uses Billed Duration from the record, never the duration", () => {
    // A 2025 cold start: Billed Duration = ceil(12.68 + 295.33) = 309
    // (docs/lambda-facts.md, "Billing").
    const cold = record(128, 12.68, { initDurationMs: 295.33, billedDurationMs: 309 });
    assertCloseUsd(
      costPerInvocation(cold, US_EAST_1_X86),
      0.0000166667 * (128 / 1024) * 0.309 + 0.0000002,
    );
  });

  it("bills a bare duration rounded up to 1 ms, at least 1 ms", () => {
    assert.equal(billedDurationFor(12.01), 13);
    assert.equal(billedDurationFor(13), 13);
    assert.equal(billedDurationFor(0.2), 1);
    assert.equal(
      costForDuration(512, 41.3, US_EAST_1_X86),
      costOfBilledDuration(512, 42, US_EAST_1_X86),
    );
  });

  it("sums the cost of many invocations", () => {
    const rs = [record(128, 10), record(256, 20)];
    assertCloseUsd(
      totalCost(rs, US_EAST_1_X86),
      costPerInvocation(rs[0]!, US_EAST_1_X86) + costPerInvocation(rs[1]!, US_EAST_1_X86),
    );
    assert.equal(totalCost([], US_EAST_1_X86), 0);
  });
});
