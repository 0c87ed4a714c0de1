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
  it("reads 10% and 0.1 alike, as ten percent", () => {
    assert.equal(parseFraction("--balanced-tolerance", "10%"), 0.1);
    assert.equal(parseFraction("--balanced-tolerance", "0.1"), 0.1);
    assert.equal(parseFraction("--x", " 2.5% "), 0.025);
    assert.equal(parseFraction("--x", "0"), 0);
    assert.equal(parseFraction("--x", "150%"), 1.5);
  });

  it("refuses a bare number of 1 or more as ambiguous, and a share above its bound", () => {
    assertUsageError(
      () => parseFraction("--balanced-tolerance", "10"),
      /10 is ambiguous: 10% or 1000%/,
    );
    assertUsageError(() => parseFraction("--x", "1"), /ambiguous/);
    assertUsageError(() => parseFraction("--tie", "60%", 0.5), /above the 50% it may be/);
  });

  it("refuses negatives and garbage", () => {
    for (const text of ["-5%", "ten", "%", "", "1e999"]) {
      assertUsageError(() => parseFraction("--x", text), /--x must be a percentage or a fraction/);
    }
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
