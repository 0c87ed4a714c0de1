import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildResult } from "../../src/tune/tune.js";
import { assertValidResult } from "../document/validate.js";
import { record, US_EAST_1_X86 } from "../model/make-records.js";

const options = {
  targetKind: "local" as const,
  info: { name: "fn", architecture: "x86_64" as const, region: "us-east-1", warnings: [] },
  planSummary: { sizes: [], invocationsPerSize: null, budget: 20, seed: 1 },
  pricing: US_EAST_1_X86,
  strategy: "cost" as const,
  toolVersion: "test",
  now: () => new Date(0),
};

describe("buildResult", () => {
  it("says once which sizes were measured only cold, and that they were not compared", () => {
    const records = [
      record(128, 400, { initDurationMs: 300 }),
      record(256, 200, { initDurationMs: 250 }),
      record(512, 100, { initDurationMs: 200 }),
      record(512, 99),
      record(512, 101),
    ];
    const doc = buildResult(options, records);
    assertValidResult(doc);
    const cold = doc.warnings.filter((w) => w.includes("only a cold call"));
    assert.equal(cold.length, 1);
    assert.match(cold[0] ?? "", /^128, 256 MB had only a cold call: not compared/);
    assert.ok(doc.tiers.every((t) => t.warnings.every((w) => !w.includes("cold"))));
    assert.equal(doc.recommendation?.memoryMb, 512);
  });
});
