import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatDuration, formatMs, formatPercent, formatSizes, formatUsd } from "../src/format.js";

describe("number formats", () => {
  it("formats milliseconds with three significant digits or one decimal", () => {
    assert.deepEqual([2398.4, 276.5, 21.34, 2.854, 0.5, 0, 12_345].map(formatMs), [
      "2,398",
      "277",
      "21.3",
      "2.85",
      "0.5",
      "0",
      "12,345",
    ]);
  });

  it("switches to seconds from 10 s", () => {
    assert.equal(formatDuration(612.4), "612 ms");
    assert.equal(formatDuration(12_345), "12.3 s");
  });

  it("formats dollars like $2.08, $20.8 and $0.21, and small sums to two digits", () => {
    assert.deepEqual(
      [2.081, 20.84, 0.214, 208.4, 1234.5, 0.00042, 0.0004, 0.012, 0].map(formatUsd),
      ["$2.08", "$20.8", "$0.21", "$208", "$1,235", "$0.00042", "$0.0004", "$0.012", "$0"],
    );
  });

  it("formats fractions as percentages", () => {
    assert.deepEqual([0.031, 0.25, 0.0019, -0.013, 0].map(formatPercent), [
      "3.1%",
      "25%",
      "0.19%",
      "-1.3%",
      "0%",
    ]);
  });
});

describe("formatSizes", () => {
  it("names an evenly spaced list by its range", () => {
    assert.equal(
      formatSizes(Array.from({ length: 46 }, (_, i) => 128 + 64 * i)),
      "128-3008 MB in steps of 64 (46 sizes)",
    );
  });

  it("lists sizes that are not evenly spaced, or too few to call a range", () => {
    assert.equal(formatSizes([1024, 128, 256]), "128, 256, 1024 MB");
    assert.equal(formatSizes([128, 256]), "128, 256 MB");
    assert.equal(formatSizes([]), "no sizes");
  });
});
