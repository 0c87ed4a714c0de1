import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { memoryHeadroom } from "../../src/analyze/build-analysis.js";
import type { ReportRecord } from "../../src/logs/record.js";
import { createRandom } from "../../src/model/random.js";
import { SizeAccumulator } from "../../src/model/size-accumulator.js";

function sizeWith(
  memoryMb: number,
  used: (i: number) => number,
  extra: Partial<ReportRecord> = {},
) {
  const size = new SizeAccumulator(memoryMb, createRandom(1), 10);
  for (let i = 0; i < 1000; i++) {
    size.add({
      requestId: `r${i}`,
      durationMs: 10,
      billedDurationMs: 10,
      memorySizeMB: memoryMb,
      maxMemoryUsedMB: used(i),
      status: "success",
      ...(i === 0 ? extra : {}),
    });
  }
  return size;
}

describe("memory headroom", () => {
  it("is under-provisioned when p99 of Max Memory Used is over 90% of the size", () => {
    const h = memoryHeadroom(sizeWith(1024, (i) => (i < 980 ? 500 : 950)));
    assert.equal(h.p99UsedMb, 950);
    assert.equal(h.verdict, "under-provisioned");
    assert.match(h.advice, /93% of 1024 MB \(over 90%\)/);
  });

  it("counts a single out-of-memory as under-provisioned whatever the p99", () => {
    const h = memoryHeadroom(
      sizeWith(1024, () => 200, { status: "error", errorType: "Runtime.OutOfMemory" }),
    );
    assert.equal(h.verdict, "under-provisioned");
    assert.match(h.advice, /1 invocation ran out of memory/);
  });

  it("is over-provisioned under 30%, suggests a size by memory and warns that CPU follows memory", () => {
    const h = memoryHeadroom(sizeWith(1024, (i) => 100 + (i % 100)));
    assert.equal(h.medianUsedMb, 149);
    assert.equal(h.p99UsedMb, 198);
    assert.equal(h.maxUsedMb, 199);
    assert.equal(h.verdict, "over-provisioned");
    assert.match(h.advice, /by memory alone 320 MB would do/);
    assert.match(h.advice, /CPU scales with memory \(1,769 MB is one vCPU\)/);
    assert.match(h.advice, /lambda-tune run --memory 320,1024/);
  });

  it("is adequate in between", () => {
    assert.equal(memoryHeadroom(sizeWith(256, () => 128)).verdict, "adequate");
  });
});
