import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRandom, deriveSeed, shuffled } from "../../src/model/random.js";

const take = (random: () => number, count: number) => Array.from({ length: count }, random);

describe("createRandom", () => {
  it("repeats its sequence for a seed and differs between seeds", () => {
    assert.deepEqual(take(createRandom(42), 20), take(createRandom(42), 20));
    assert.notDeepEqual(take(createRandom(42), 20), take(createRandom(43), 20));
    assert.notDeepEqual(take(createRandom(0), 5), [0, 0, 0, 0, 0]);
  });

  it("gives numbers in [0, 1) spread over the interval", () => {
    const values = take(createRandom(7), 10_000);
    assert.ok(values.every((v) => v >= 0 && v < 1));
    const buckets = new Array<number>(10).fill(0);
    for (const v of values) buckets[Math.floor(v * 10)]! += 1;
    assert.ok(
      buckets.every((n) => n > 850 && n < 1150),
      `buckets ${buckets}`,
    );
  });
});

describe("deriveSeed", () => {
  it("gives each salt its own stream, the same every time", () => {
    assert.equal(deriveSeed(1, 128), deriveSeed(1, 128));
    const seeds = new Set([128, 192, 256, 320].map((salt) => deriveSeed(1, salt)));
    assert.equal(seeds.size, 4);
    assert.notEqual(deriveSeed(1, 128), deriveSeed(2, 128));
  });
});

describe("shuffled", () => {
  it("returns a permutation and leaves its input alone", () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const result = shuffled(items, createRandom(3));
    assert.deepEqual(
      [...result].sort((a, b) => a - b),
      items,
    );
    assert.notDeepEqual(result, items);
    assert.deepEqual(
      items,
      Array.from({ length: 50 }, (_, i) => i),
    );
  });
});
