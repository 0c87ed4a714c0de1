import assert from "node:assert/strict";
import { createReadStream } from "node:fs";
import { describe, it } from "node:test";
import type { ReportRecord } from "../../src/logs/record.js";
import { readRecords } from "../../src/logs/sources/read-records.js";
import { HISTOGRAM_RELATIVE_ERROR, LogHistogram } from "../../src/model/log-histogram.js";
import { createRandom, shuffled } from "../../src/model/random.js";
import { Reservoir } from "../../src/model/reservoir.js";
import { summarize } from "../../src/model/stats.js";

async function recordsOf(file: string): Promise<ReportRecord[]> {
  const records: ReportRecord[] = [];
  for await (const record of readRecords(createReadStream(file), file)) records.push(record);
  return records;
}

function histogramOf(values: readonly number[]): LogHistogram {
  const histogram = new LogHistogram();
  for (const value of values) histogram.add(value);
  return histogram;
}

const FILES = [1, 2, 3, 4, 5, 6].map((n) => `fixtures/recordings/pacslab-f${n}.log`);
const QUANTILES = ["median", "p90", "p95", "p99"] as const;

describe("LogHistogram", () => {
  it("gives every quantile of the real recordings within its relative error of the exact one", async () => {
    let compared = 0;
    for (const file of FILES) {
      const records = await recordsOf(file);
      const bySize = new Map<number, number[]>();
      for (const r of records)
        bySize.set(r.memorySizeMB, [...(bySize.get(r.memorySizeMB) ?? []), r.durationMs]);
      // Per size (100 calls) and the whole file (4,600 calls over a 30x range).
      for (const values of [...bySize.values(), records.map((r) => r.durationMs)]) {
        const exact = summarize(values);
        const sketch = histogramOf(values).summary();
        for (const q of QUANTILES) {
          const error = Math.abs(sketch[q] - exact[q]) / exact[q];
          assert.ok(
            error <= HISTOGRAM_RELATIVE_ERROR + 1e-12,
            `${file} ${q}: sketch ${sketch[q]} vs exact ${exact[q]} (${(error * 100).toFixed(3)}%)`,
          );
          compared++;
        }
        assert.equal(sketch.count, exact.count);
        assert.equal(sketch.min, exact.min);
        assert.equal(sketch.max, exact.max);
        assert.ok(Math.abs(sketch.mean - exact.mean) <= 1e-9 * exact.mean);
        assert.ok(Math.abs(sketch.stdDev - exact.stdDev) <= 1e-6 * (exact.stdDev + 1));
      }
    }
    assert.equal(compared, 6 * 47 * 4);
  });

  it("holds the bound on a heavy tail spanning six orders of magnitude, in any order", () => {
    const random = createRandom(7);
    const values = Array.from({ length: 20_000 }, () => Math.exp(random() * 14) / 100);
    const exact = summarize(values);
    const a = histogramOf(values).summary();
    const b = histogramOf(shuffled(values, createRandom(3))).summary();
    for (const q of QUANTILES) {
      assert.ok(Math.abs(a[q] - exact[q]) / exact[q] <= HISTOGRAM_RELATIVE_ERROR + 1e-12, q);
      assert.equal(a[q], b[q]);
    }
  });

  it("summarizes a single value exactly and refuses an empty summary", () => {
    const one = histogramOf([42.5]).summary();
    assert.deepEqual(
      [one.count, one.mean, one.median, one.p99, one.min, one.max, one.stdDev],
      [1, 42.5, 42.5, 42.5, 42.5, 42.5, 0],
    );
    assert.throws(() => new LogHistogram().summary());
    assert.ok(Number.isNaN(new LogHistogram().quantile(0.5)));
  });
});

describe("Reservoir", () => {
  it("keeps everything up to its capacity, then a seeded uniform sample of that size", () => {
    const small = new Reservoir<number>(10, createRandom(1));
    for (let i = 0; i < 5; i++) small.offer(i);
    assert.deepEqual(small.items, [0, 1, 2, 3, 4]);
    assert.equal(small.complete, true);

    const sample = (seed: number) => {
      const r = new Reservoir<number>(1000, createRandom(seed));
      for (let i = 0; i < 100_000; i++) r.offer(i);
      return r;
    };
    const a = sample(5);
    assert.equal(a.items.length, 1000);
    assert.equal(a.seen, 100_000);
    assert.equal(a.complete, false);
    assert.deepEqual(a.items, sample(5).items);
    assert.notDeepEqual(a.items, sample(6).items);
    // Uniform: about a tenth of the sample from each tenth of the stream.
    const tenths = new Array(10).fill(0);
    for (const item of a.items) tenths[Math.floor(item / 10_000)]++;
    for (const n of tenths) assert.ok(n > 60 && n < 140, `tenths ${tenths.join(",")}`);
  });
});
