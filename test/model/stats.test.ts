import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { OUT_OF_MEMORY } from "../../src/lambda.js";
import { costForDuration, costPerInvocation } from "../../src/model/cost.js";
import { buildTiers, groupBySize, summarize } from "../../src/model/stats.js";
import { record, records, US_EAST_1_X86 } from "./make-records.js";

function assertClose(actual: number, expected: number, tolerance = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} != ${expected}`);
}

describe("summarize", () => {
  it("matches a hand computation on four values", () => {
    const d = summarize([40, 10, 30, 20]);
    assert.equal(d.count, 4);
    assert.equal(d.mean, 25);
    assert.equal(d.median, 25);
    // Type-7 interpolation: index (n-1)p; p90 -> 2.7 -> 30 + 0.7*10.
    assertClose(d.p90, 37);
    assertClose(d.p95, 38.5);
    assertClose(d.p99, 39.7);
    assert.equal(d.max, 40);
    assert.equal(d.min, 10);
    // Sample variance (225 + 25 + 25 + 225) / 3.
    assertClose(d.stdDev, Math.sqrt(500 / 3));
  });

  it("gives a zero spread for one value and refuses none", () => {
    const d = summarize([7]);
    assert.deepEqual(
      [d.mean, d.median, d.p99, d.min, d.max, d.stdDev, d.count],
      [7, 7, 7, 7, 7, 0, 1],
    );
    assert.throws(() => summarize([]));
  });
});

describe("buildTiers", () => {
  it("keeps cold starts apart from warm durations", () => {
    const cold = record(512, 100, { initDurationMs: 200, billedDurationMs: 300 });
    const all = [...records(512, [10, 20, 30, 40]), cold];
    const [tier] = buildTiers(all, US_EAST_1_X86);
    assert.ok(tier !== undefined);
    assert.equal(tier.invocations, 5);
    assert.equal(tier.warmInvocations, 4);
    assert.equal(tier.coldStarts, 1);
    assert.equal(tier.durationMs.count, 4);
    assert.equal(tier.durationMs.max, 40);
    // The steady state decides: billed duration and cost come from warm invocations.
    assert.equal(tier.billedDurationMs.count, 4);
    assert.equal(tier.billedDurationMs.max, 40);
    assert.equal(tier.initDurationMs?.max, 200);
    assert.equal(tier.initDurationMs?.count, 1);
    const warm = all.filter((r) => r.initDurationMs === undefined);
    const expected = warm.reduce((sum, r) => sum + costPerInvocation(r, US_EAST_1_X86), 0) / 4;
    assertClose(tier.costPerInvocationUsd, expected, 1e-18);
    assertClose(tier.costPerMillionUsd, expected * 1e6, 1e-12);
    assert.equal(tier.errors, 0);
    assert.equal(tier.excluded, undefined);
    assert.deepEqual(tier.warnings, []);
  });

  it("uses every invocation for the duration when all are cold", () => {
    const all = [
      record(256, 50, { initDurationMs: 100 }),
      record(256, 70, { initDurationMs: 120 }),
    ];
    const [tier] = buildTiers(all, US_EAST_1_X86);
    assert.equal(tier?.durationMs.count, 2);
    assert.equal(tier?.durationMs.mean, 60);
    assert.equal(tier?.initDurationMs?.mean, 110);
  });

  it("keeps a size measured only cold apart: its cold calls shown, no steady-state cost", () => {
    // Issue 14: a first call's Duration is inflated (docs/lambda-facts.md, "First calls"), so
    // a size measured only cold was costed too high, and sizes visited more often looked cheaper.
    const all = [
      record(256, 49.2, { initDurationMs: 100, billedDurationMs: 150 }),
      record(256, 69.5, { initDurationMs: 120, billedDurationMs: 190 }),
    ];
    const [tier] = buildTiers(all, US_EAST_1_X86);
    assert.equal(tier?.warmInvocations, 0);
    assert.match(tier?.excluded ?? "", /no warm call/);
    assert.deepEqual([tier?.coldDurationMs?.min, tier?.coldDurationMs?.max], [49.2, 69.5]);
    // A cold call billed as Lambda bills it since August 2025: Duration + Init, to the ms.
    const expected =
      (costForDuration(256, 149.2, US_EAST_1_X86) + costForDuration(256, 189.5, US_EAST_1_X86)) / 2;
    assertClose(tier?.coldCostPerInvocationUsd ?? 0, expected, 1e-18);
    const [old] = buildTiers(all, US_EAST_1_X86, { billInit: false });
    const durationOnly =
      (costForDuration(256, 49.2, US_EAST_1_X86) + costForDuration(256, 69.5, US_EAST_1_X86)) / 2;
    assertClose(old?.coldCostPerInvocationUsd ?? 0, durationOnly, 1e-18);
  });

  it("costs a size from its warm calls only, whatever its cold calls cost", () => {
    const all = [
      record(512, 300, { initDurationMs: 200, billedDurationMs: 500 }),
      ...records(512, [100, 102]),
    ];
    const [tier] = buildTiers(all, US_EAST_1_X86);
    assert.equal(tier?.excluded, undefined);
    assertClose(
      tier?.costPerInvocationUsd ?? 0,
      (costForDuration(512, 100, US_EAST_1_X86) + costForDuration(512, 102, US_EAST_1_X86)) / 2,
      1e-18,
    );
    assert.equal(tier?.coldDurationMs?.median, 300);
  });

  it("has no init distribution without cold starts", () => {
    const [tier] = buildTiers(records(256, [5, 6]), US_EAST_1_X86);
    assert.equal(tier?.initDurationMs, null);
  });

  it("counts errors, timeouts, out-of-memory and error types, and excludes the size", () => {
    const all = [
      ...records(128, [10, 11]),
      record(128, 3000, { status: "timeout" }),
      record(128, 80, { status: "error", errorType: OUT_OF_MEMORY, maxMemoryUsedMB: 129 }),
      record(128, 5, { status: "error", errorType: "Runtime.UnhandledPromiseRejection" }),
    ];
    const [tier] = buildTiers(all, US_EAST_1_X86);
    assert.ok(tier !== undefined);
    assert.equal(tier.errors, 3);
    assert.equal(tier.timeouts, 1);
    assert.equal(tier.outOfMemory, 1);
    assert.deepEqual(tier.errorTypes, {
      timeout: 1,
      [OUT_OF_MEMORY]: 1,
      "Runtime.UnhandledPromiseRejection": 1,
    });
    assert.equal(tier.maxMemoryUsedMb, 129);
    assert.match(tier.excluded ?? "", /3 of 5 invocations failed/);
    assert.match(tier.excluded ?? "", /1 timed out, 1 out of memory, 1 other error/);
    assert.match(tier.warnings.join("\n"), /Max Memory Used 129 MB is over 90% of the memory size/);
  });

  it("counts an out-of-memory record without a status as an error", () => {
    const [tier] = buildTiers([record(128, 9, { errorType: OUT_OF_MEMORY })], US_EAST_1_X86);
    assert.equal(tier?.errors, 1);
    assert.equal(tier?.outOfMemory, 1);
  });

  it("warns about memory headroom above 90% only", () => {
    const [over, under] = buildTiers(
      [record(1024, 10, { maxMemoryUsedMB: 922 }), record(2048, 10, { maxMemoryUsedMB: 1843 })],
      US_EAST_1_X86,
    );
    assert.match(over?.warnings[0] ?? "", /1024 MB: Max Memory Used 922 MB is over 90%/);
    assert.deepEqual(under?.warnings, []);
  });

  it("sorts tiers by memory", () => {
    const all = [record(1024, 5), record(128, 40), record(512, 10), record(128, 41)];
    assert.deepEqual(
      buildTiers(all, US_EAST_1_X86).map((t) => [t.memoryMb, t.invocations]),
      [
        [128, 2],
        [512, 1],
        [1024, 1],
      ],
    );
    assert.deepEqual([...groupBySize(all).keys()], [128, 512, 1024]);
  });
});
