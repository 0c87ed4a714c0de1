import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { UsageError } from "../../../src/errors.js";
import type { ReportRecord } from "../../../src/logs/record.js";
import { loadRecording } from "../../../src/targets/replay/load.js";
import { createReplayTarget } from "../../../src/targets/replay/replay-target.js";

const F5 = fileURLToPath(new URL("../../../fixtures/recordings/pacslab-f5.log", import.meta.url));

function record(requestId: string, memorySizeMB: number, durationMs: number): ReportRecord {
  return {
    requestId,
    durationMs,
    billedDurationMs: Math.ceil(durationMs),
    memorySizeMB,
    maxMemoryUsedMB: 50,
    status: "success",
  };
}

async function drawIds(
  seed: number,
  records: readonly ReportRecord[],
  memoryMb: number,
  count: number,
) {
  const target = createReplayTarget({ records, name: "test.log", seed });
  const size = await target.prepare(memoryMb);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await size.invoke("{}")).record.requestId);
  return ids;
}

describe("ReplayTarget on a real recording", () => {
  let records: ReportRecord[];
  before(async () => {
    records = (await loadRecording(F5)).records;
  });

  it("offers the recorded sizes, each with its number of records", () => {
    const target = createReplayTarget({ records, name: "pacslab-f5.log", seed: 1 });
    const sizes = target.availableSizes();
    assert.equal(sizes.length, 46);
    assert.equal(sizes[0], 128);
    assert.equal(sizes.at(-1), 3008);
    assert.equal(target.capacity(128), 100);
    assert.equal(target.capacity(3008), 100);
    assert.equal(target.capacity(200), 0);
  });

  it("replays the same sample for the same seed, another for another seed", async () => {
    const first = await drawIds(7, records, 512, 10);
    assert.deepEqual(await drawIds(7, records, 512, 10), first);
    assert.notDeepEqual(await drawIds(8, records, 512, 10), first);
  });

  it("draws without replacement until every record of the size is used", async () => {
    const target = createReplayTarget({ records, name: "pacslab-f5.log", seed: 3 });
    const size = await target.prepare(1024);
    const ids = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const { record: drawn } = await size.invoke("{}");
      assert.equal(drawn.memorySizeMB, 1024);
      ids.add(drawn.requestId);
      assert.equal(target.capacity(1024), 99 - i);
    }
    const recorded = records.filter((r) => r.memorySizeMB === 1024).map((r) => r.requestId);
    assert.deepEqual([...ids].sort(), recorded.sort());
    await assert.rejects(size.invoke("{}"), /no records left at 1024 MB/);
    assert.equal(target.capacity(512), 100, "other sizes keep their records");
  });

  it("continues where it left off when a size is prepared again", async () => {
    const target = createReplayTarget({ records, name: "pacslab-f5.log", seed: 4 });
    const first = await target.prepare(256);
    const a = (await first.invoke("{}")).record.requestId;
    await first.release();
    const again = await target.prepare(256);
    const b = (await again.invoke("{}")).record.requestId;
    assert.notEqual(a, b);
    assert.equal(target.capacity(256), 98);
  });

  it("refuses a size it has no records of, naming the sizes it has compactly", async () => {
    const target = createReplayTarget({ records, name: "pacslab-f5.log", seed: 1 });
    await assert.rejects(target.prepare(1000), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /pacslab-f5\.log has no records at 1000 MB/);
      assert.match(error.hint ?? "", /128-3008 MB in steps of 64 \(46 sizes\)/);
      return true;
    });
  });
});

describe("ReplayTarget on records built in the test", () => {
  const mixed = [
    record("a", 128, 900),
    record("b", 1024, 100),
    record("c", 128, 950),
    record("d", 3008, 60),
  ];

  it("lists irregular sizes in its error", async () => {
    const target = createReplayTarget({ records: mixed, name: "mixed.log", seed: 0 });
    assert.deepEqual(target.availableSizes(), [128, 1024, 3008]);
    assert.equal(target.capacity(128), 2);
    await assert.rejects(target.prepare(512), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.hint ?? "", /128, 1024, 3008 MB/);
      return true;
    });
  });

  it("gives a copy of the recorded record, keeping its request id", async () => {
    const target = createReplayTarget({ records: mixed, name: "mixed.log", seed: 0 });
    const { record: drawn } = await (await target.prepare(1024)).invoke("{}");
    assert.deepEqual(drawn, mixed[1]);
    assert.notEqual(drawn, mixed[1]);
  });

  it("describes itself with the given name, architecture, region and warnings", async () => {
    const target = createReplayTarget({
      records: mixed,
      name: "mixed.log",
      seed: 0,
      architecture: "arm64",
      region: "eu-west-1",
      warnings: ["skipped 2 lines"],
    });
    assert.equal(target.kind, "replay");
    assert.deepEqual(await target.describe(), {
      name: "mixed.log",
      architecture: "arm64",
      region: "eu-west-1",
      warnings: ["skipped 2 lines"],
    });
    const defaults = await createReplayTarget({ records: mixed, name: "m", seed: 0 }).describe();
    assert.equal(defaults.architecture, "x86_64");
    assert.equal(defaults.region, "us-east-1");
  });

  it("refuses an empty recording", () => {
    assert.throws(
      () => createReplayTarget({ records: [], name: "empty.log", seed: 0 }),
      UsageError,
    );
  });
});
