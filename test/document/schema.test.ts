import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sampleResult } from "./sample-result.js";
import { assertValidResult, resultSchemaErrors } from "./validate.js";

function without(doc: object, key: string): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...doc };
  delete copy[key];
  return copy;
}

describe("result schema", () => {
  it("accepts the sample document", () => {
    assertValidResult(sampleResult());
  });

  it("accepts a run with no model, no recommendation and no current configuration", () => {
    const doc = without(sampleResult({ model: null, recommendation: null }), "current");
    assertValidResult(without(doc, "isolation"));
  });

  it("accepts the sample after a JSON round trip", () => {
    assertValidResult(JSON.parse(JSON.stringify(sampleResult())));
  });

  for (const key of ["schemaVersion", "tiers", "recommendation", "tuningCost", "warnings"]) {
    it(`rejects a document without ${key}`, () => {
      const errors = resultSchemaErrors(without(sampleResult(), key));
      assert.ok(
        errors.some((e) => e.includes(key)),
        errors.join("\n"),
      );
    });
  }

  it("rejects another schema version", () => {
    assert.notDeepEqual(resultSchemaErrors({ ...sampleResult(), schemaVersion: 2 }), []);
  });

  it("rejects a field the type does not have", () => {
    const doc = sampleResult();
    const tiers = doc.tiers.map((t) => ({ ...t, p95: 1 }));
    const errors = resultSchemaErrors({ ...doc, tiers });
    assert.ok(
      errors.some((e) => e.includes("p95")),
      errors.join("\n"),
    );
  });

  it("rejects a tier missing a required field", () => {
    const doc = sampleResult();
    const [first, ...rest] = doc.tiers;
    const errors = resultSchemaErrors({
      ...doc,
      tiers: [without(first!, "costPerMillionUsd"), ...rest],
    });
    assert.ok(
      errors.some((e) => e.includes("costPerMillionUsd")),
      errors.join("\n"),
    );
  });

  it("rejects a memory size Lambda does not offer and a timeout over 900 s", () => {
    const doc = sampleResult();
    const tiers = [{ ...doc.tiers[0]!, memoryMb: 64 }];
    const recommendation = { ...doc.recommendation!, timeoutSeconds: 901 };
    const errors = resultSchemaErrors({ ...doc, tiers, recommendation });
    assert.ok(
      errors.some((e) => e.startsWith("/tiers/0/memoryMb")),
      errors.join("\n"),
    );
    assert.ok(
      errors.some((e) => e.startsWith("/recommendation")),
      errors.join("\n"),
    );
  });

  it("rejects a generatedAt that is not a timestamp", () => {
    const errors = resultSchemaErrors({ ...sampleResult(), generatedAt: "yesterday" });
    assert.ok(
      errors.some((e) => e.startsWith("/generatedAt")),
      errors.join("\n"),
    );
  });
});
