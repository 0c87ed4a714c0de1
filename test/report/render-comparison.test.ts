import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ResultDocument } from "../../src/document/result.js";
import { compareResults } from "../../src/model/compare.js";
import { stripAnsi } from "../../src/report/ansi.js";
import { renderComparisonText } from "../../src/report/render-comparison.js";
import { sampleResult } from "../document/sample-result.js";

function slower(factor: number): ResultDocument {
  const doc = sampleResult();
  for (const tier of doc.tiers) {
    for (const d of [tier.durationMs, tier.billedDurationMs]) {
      for (const key of ["mean", "median", "p90", "p95", "p99", "max", "min"] as const) {
        d[key] *= factor;
      }
    }
    tier.costPerInvocationUsd *= factor;
    tier.costPerMillionUsd *= factor;
  }
  return doc;
}

function widest(text: string): number {
  return Math.max(...text.split("\n").map((line) => [...stripAnsi(line)].length));
}

describe("renderComparisonText", () => {
  const comparison = compareResults(sampleResult(), slower(1.2), { threshold: 0.1 });

  for (const width of [60, 50]) {
    it(`keeps every line within ${width} columns, a table per quantity`, () => {
      const text = renderComparisonText(comparison, { color: true, width });
      assert.ok(widest(text) <= width, `${widest(text)} columns:\n${text}`);
      for (const head of ["median (ms)", "p95 (ms)", "cost per 1M (USD)"]) {
        assert.match(text, new RegExp(head.replace(/[()]/g, "\\$&")));
      }
      assert.match(text, /gate --fail-on-regression 10%/);
    });
  }

  it("uses one table for all quantities when the terminal is wide enough", () => {
    const text = renderComparisonText(comparison, { color: false, width: 140 });
    assert.ok(widest(text) <= 140);
    assert.match(text, /memory \(MB\) +median \(ms\) +p95 \(ms\) +cost per 1M \(USD\)/);
  });
});
