import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UsageError } from "../../src/errors.js";
import {
  DEFAULT_INVOCATIONS,
  DEFAULT_SIZES,
  formatSizes,
  parseMemorySpec,
  parseNonNegativeInt,
  parsePause,
  parsePositiveInt,
} from "../../src/tune/memory-spec.js";

function assertUsageError(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
    assert.equal(error.exitCode, 2);
    assert.match(error.message, pattern);
    assert.ok(error.hint !== undefined && error.hint.length > 0, "a hint naming the fix");
    return true;
  });
}

describe("parseMemorySpec", () => {
  it("reads a list, sorted and de-duplicated", () => {
    assert.deepEqual(parseMemorySpec("512,128,256,128"), [128, 256, 512]);
    assert.deepEqual(parseMemorySpec(" 1024 , 128 "), [128, 1024]);
  });

  it("reads a range, including the end when it falls on a step", () => {
    const sizes = parseMemorySpec("128-3008:64");
    assert.equal(sizes.length, 46);
    assert.equal(sizes[0], 128);
    assert.equal(sizes.at(-1), 3008);
    assert.deepEqual(parseMemorySpec("128-1000:256"), [128, 384, 640, 896]);
    assert.deepEqual(parseMemorySpec("512-512:64"), [512]);
  });

  it("reads lists mixed with ranges", () => {
    assert.deepEqual(parseMemorySpec("128,512-1024:256,256"), [128, 256, 512, 768, 1024]);
    assert.deepEqual(parseMemorySpec("1024,512-1024:256"), [512, 768, 1024]);
  });

  it("accepts the bounds of Lambda's memory", () => {
    assert.deepEqual(parseMemorySpec("128,10240"), [128, 10240]);
  });

  it("rejects sizes outside 128..10240 MB, naming the size", () => {
    assertUsageError(() => parseMemorySpec("64"), /64 MB .*outside/);
    assertUsageError(() => parseMemorySpec("128,10241"), /10241 MB .*outside/);
    assertUsageError(() => parseMemorySpec("64-512:64"), /64 MB in "64-512:64"/);
    assertUsageError(() => parseMemorySpec("128-20000:64"), /20000 MB/);
    assertUsageError(() => parseMemorySpec("-128"), /-128 MB/);
  });

  it("rejects sizes that are not whole numbers", () => {
    assertUsageError(() => parseMemorySpec("128.5"), /"128\.5".*not a whole number/);
    assertUsageError(() => parseMemorySpec("128-256:0.5"), /step "0\.5".*not a whole number/);
  });

  it("rejects an empty list and empty entries", () => {
    assertUsageError(() => parseMemorySpec(""), /no sizes/);
    assertUsageError(() => parseMemorySpec("  "), /no sizes/);
    assertUsageError(() => parseMemorySpec("128,,256"), /empty entry/);
    assertUsageError(() => parseMemorySpec("128,"), /empty entry/);
  });

  it("rejects a range with a zero or negative step", () => {
    assertUsageError(() => parseMemorySpec("128-512:0"), /step 0 .*above 0/);
    assertUsageError(() => parseMemorySpec("128-512:-64"), /step -64 .*above 0/);
  });

  it("rejects a range that ends below its start", () => {
    assertUsageError(() => parseMemorySpec("1024-512:64"), /"1024-512:64" ends below its start/);
  });

  it("rejects a range without a step", () => {
    assertUsageError(() => parseMemorySpec("128-3008"), /"128-3008" has no step/);
  });

  it("rejects garbage, naming the bad part", () => {
    assertUsageError(() => parseMemorySpec("lots"), /"lots"/);
    assertUsageError(() => parseMemorySpec("128,512MB"), /"512MB"/);
    assertUsageError(() => parseMemorySpec("128:64"), /"128:64" is not a range/);
    assertUsageError(() => parseMemorySpec("1e3"), /"1e3"/);
    assertUsageError(() => parseMemorySpec("a-512:64"), /start "a"/);
  });
});

describe("formatSizes", () => {
  it("names an evenly spaced list by its range", () => {
    assert.equal(
      formatSizes(parseMemorySpec("128-3008:64")),
      "128-3008 MB in steps of 64 (46 sizes)",
    );
  });

  it("lists sizes that are not evenly spaced, or too few to call a range", () => {
    assert.equal(formatSizes([1024, 128, 256]), "128, 256, 1024 MB");
    assert.equal(formatSizes([128, 256]), "128, 256 MB");
    assert.equal(formatSizes([]), "no sizes");
  });
});

describe("defaults", () => {
  it("are sizes the parser accepts and a positive count", () => {
    assert.deepEqual(parseMemorySpec(DEFAULT_SIZES.join(",")), [...DEFAULT_SIZES]);
    assert.ok(Number.isInteger(DEFAULT_INVOCATIONS) && DEFAULT_INVOCATIONS > 0);
  });
});

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
