import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UsageError } from "../src/errors.js";
import { parseFraction, parseNonNegativeInt, parsePause, parsePositiveInt } from "../src/flags.js";

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

describe("parseFraction: one meaning for a share on every flag", () => {
  it("reads 2% and 0.02 alike, as two percent", () => {
    assert.equal(parseFraction("--tie-tolerance", "2%"), 0.02);
    assert.equal(parseFraction("--tie-tolerance", "0.02"), 0.02);
    assert.equal(parseFraction("--tie-tolerance", " 10% "), 0.1);
    assert.equal(parseFraction("--tie-tolerance", "0"), 0);
    assert.equal(parseFraction("--cold-start-rate", "100%", { max: 1 }), 1);
  });

  it("refuses a bare number of 1 or more as ambiguous, naming both readings", () => {
    assertUsageError(
      () => parseFraction("--tie-tolerance", "2"),
      /--tie-tolerance 2 is ambiguous: 2% or 200%\?/,
    );
    assertUsageError(() => parseFraction("--cold-start-rate", "1"), /ambiguous: 1% or 100%\?/);
  });

  it("refuses negatives, garbage and values above the flag's maximum", () => {
    assertUsageError(
      () => parseFraction("--tie-tolerance", "-1%"),
      /--tie-tolerance cannot be negative/,
    );
    assertUsageError(() => parseFraction("--tie-tolerance", "-0.01"), /cannot be negative/);
    assertUsageError(() => parseFraction("--tie-tolerance", "lots"), /percentage or a fraction/);
    assertUsageError(() => parseFraction("--tie-tolerance", "%"), /percentage or a fraction/);
    assertUsageError(
      () => parseFraction("--tie-tolerance", "60%", { max: 0.5 }),
      /--tie-tolerance 60% is above 50%/,
    );
    assertUsageError(
      () => parseFraction("--cold-start-rate", "101%", { max: 1 }),
      /--cold-start-rate 101% is above 100%/,
    );
  });
});

describe("parsePause", () => {
  it("reads milliseconds, fractions included", () => {
    assert.equal(parsePause("0"), 0);
    assert.equal(parsePause("150"), 150);
    assert.equal(parsePause(" 159.6 "), 159.6);
    assert.equal(parsePause("900000"), 900_000);
  });

  it("rejects a negative pause, naming the flag and the fix", () => {
    assertUsageError(
      () => parsePause("-5"),
      /--pause must be milliseconds from 0 to 900000: "-5" is negative/,
    );
  });

  it("rejects what is not a number", () => {
    for (const text of ["", "ten", "1e3", "NaN", "5ms", "0x10", "1.", ".5"]) {
      assertUsageError(() => parsePause(text), /--pause .* is not a number of milliseconds/);
    }
  });

  it("rejects more than 15 minutes", () => {
    assertUsageError(() => parsePause("900001"), /"900001" is longer than 15 minutes/);
  });

  it("says what to give instead", () => {
    try {
      parsePause("-1");
      assert.fail("no error");
    } catch (error) {
      assert.ok(error instanceof UsageError);
      assert.match(error.hint ?? "", /e\.g\. --pause 100/);
    }
  });
});
