import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UsageError } from "../../src/errors.js";
import { DEFAULT_INVOCATIONS, DEFAULT_SIZES, parseMemorySpec } from "../../src/tune/memory-spec.js";

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

describe("defaults", () => {
  it("are sizes the parser accepts and a positive count", () => {
    assert.deepEqual(parseMemorySpec(DEFAULT_SIZES.join(",")), [...DEFAULT_SIZES]);
    assert.ok(Number.isInteger(DEFAULT_INVOCATIONS) && DEFAULT_INVOCATIONS > 0);
  });
});
