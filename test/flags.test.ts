import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UsageError } from "../src/errors.js";
import { parseNonNegativeInt, parsePositiveInt } from "../src/flags.js";

function assertUsageError(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
    assert.equal(error.exitCode, 2);
    assert.match(error.message, pattern);
    assert.ok(error.hint !== undefined && error.hint.length > 0, "a hint naming the fix");
    return true;
  });
}

describe("parsePositiveInt and parseNonNegativeInt", () => {
  it("read whole numbers", () => {
    assert.equal(parsePositiveInt("-n", "25"), 25);
    assert.equal(parseNonNegativeInt("--seed", "0"), 0);
    assert.equal(parseNonNegativeInt("--seed", "42"), 42);
  });

  it("reject 0 where a positive number is needed, naming the flag", () => {
    assertUsageError(() => parsePositiveInt("--concurrency", "0"), /--concurrency .*"0"/);
  });

  it("reject negatives, fractions, garbage and unsafe integers", () => {
    for (const text of ["-1", "1.5", "ten", "", "9007199254740993"]) {
      assertUsageError(() => parsePositiveInt("-n", text), /-n must be/);
      assertUsageError(() => parseNonNegativeInt("--seed", text), /--seed must be/);
    }
  });
});
