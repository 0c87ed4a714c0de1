import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkResult } from "../../src/document/check-result.js";
import { sampleResult } from "./sample-result.js";
import { resultSchemaErrors } from "./validate.js";

const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe("checkResult (the runtime check of a result document)", () => {
  it("accepts what the schema accepts", () => {
    for (const doc of [sampleResult(), sampleResult({ recommendation: null, model: null })]) {
      assert.deepEqual(resultSchemaErrors(roundTrip(doc)), []);
      assert.equal(checkResult(roundTrip(doc)).kind, "result");
    }
  });

  it("accepts fields it does not know, since adding a field keeps the version", () => {
    assert.equal(checkResult({ ...sampleResult(), addedLater: { x: 1 } }).kind, "result");
  });

  it("tells a newer schema version from a document that is not a result", () => {
    assert.deepEqual(checkResult({ ...sampleResult(), schemaVersion: 2 }), {
      kind: "newer-version",
      schemaVersion: 2,
    });
    for (const value of [
      [],
      "x",
      null,
      { schemaVersion: 1 },
      { ...sampleResult(), schemaVersion: 0 },
    ]) {
      assert.equal(checkResult(value).kind, "not-a-result", JSON.stringify(value).slice(0, 40));
    }
  });

  it("names what is missing or mistyped, and the schema rejects the same documents", () => {
    const doc = sampleResult();
    const broken = [
      { ...doc, tiers: "none" },
      { ...doc, pricing: undefined },
      {
        ...doc,
        tiers: [{ ...doc.tiers[0]!, durationMs: { ...doc.tiers[0]!.durationMs, p95: "1" } }],
      },
      { ...doc, recommendation: { ...doc.recommendation!, memoryMb: null } },
      { ...doc, function: 3 },
    ];
    const expected = [
      /tiers is not an array/,
      /pricing is not an object/,
      /tiers\[0\]\.durationMs\.p95/,
      /recommendation\.memoryMb/,
      /function/,
    ];
    broken.forEach((value, i) => {
      const check = checkResult(roundTrip(value));
      assert.equal(check.kind, "not-a-result");
      assert.match(check.kind === "not-a-result" ? check.problems.join("; ") : "", expected[i]!);
      assert.notDeepEqual(resultSchemaErrors(roundTrip(value)), []);
    });
  });
});
