import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  formatDuration,
  formatMs,
  formatPercent,
  formatUsd,
} from "../../src/report/format-number.js";

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
