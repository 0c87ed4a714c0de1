import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareResults } from "../../src/model/compare.js";
import { renderResult } from "../../src/report/renderers.js";
import { sampleResult } from "../document/sample-result.js";

const options = { color: true, width: 100 };

/** The GFM tables in `text`: runs of lines that start and end with a pipe. */
function tables(text: string): string[][] {
  const found: string[][] = [];
  let current: string[] = [];
  for (const line of [...text.split("\n"), ""]) {
    if (line.startsWith("|") && line.endsWith("|")) current.push(line);
    else if (current.length > 0) {
      found.push(current);
      current = [];
    }
  }
  return found;
}

/** Cells of a table row; `\|` is an escaped pipe inside a cell. */
const cells = (row: string) => row.slice(1, -1).split(/(?<!\\)\|/).length;

function assertValidTables(text: string, expected: number): void {
  const found = tables(text);
  assert.equal(found.length, expected, text);
  for (const table of found) {
    assert.ok(table.length >= 3, "a header, a delimiter row and at least one row");
    assert.match(table[1]!, /^\|( :?-{3,}:? \|)+$/);
    const widths = table.map(cells);
    assert.ok(
      widths.every((w) => w === widths[0]),
      `rows of ${widths.join(", ")} cells:\n${table.join("\n")}`,
    );
  }
}

describe("markdown output", () => {
  it("heads with the function and gives the recommendation in one line", () => {
    const text = renderResult(sampleResult(), "markdown", options);
    assert.ok(text.startsWith("## lambda-tune: `fixtures/handlers/cpu-bound.handler`\n"));
    const line = text.split("\n").find((l) => l.startsWith("**Recommended:"));
    assert.match(
      line!,
      /^\*\*Recommended: 1024 MB, timeout 2 s\*\* \(strategy cost\): \$[\d.]+ per 1M invocations, 276 ms median; saves \d+(\.\d)?% against the current 256 MB\.$/,
    );
    assert.ok(text.endsWith("\n") && !text.endsWith("\n\n"));
  });

  it("has one valid GFM table of the sizes, the marks, the reason, runner-up and warnings", () => {
    const text = renderResult(sampleResult(), "markdown", options);
    assertValidTables(text, 1);
    const rows = tables(text)[0]!;
    assert.equal(rows.length, 2 + 5);
    assert.match(rows.find((r) => r.includes("**1024**"))!, /◀ recommended/);
    assert.match(rows.find((r) => r.startsWith("| 128 "))!, /3 OOM .*✗ excluded/);
    assert.match(text, /\*\*Why:\*\* 512-1,024 MB cost the same within 2%/);
    assert.match(
      rows.find((r) => r.startsWith("| 512 "))!,
      /785\+328 .*≈ within 2% of the cheapest/,
    );
    assert.match(text, /\*\*Runner-up:\*\* 512 MB: 1\.3% dearer \(95% interval/);
    assert.match(text, /- costs from 256 to 1024 MB are within 3%/);
    assert.ok(!text.includes("\x1b["), "no ANSI escapes, even with color on");
  });

  it("shows what changed only when given a comparison", () => {
    const without = renderResult(sampleResult(), "markdown", options);
    assert.ok(!without.includes("What changed"));
    const comparison = compareResults(sampleResult(), sampleResult(), { threshold: 0.1 });
    const text = renderResult(sampleResult(), "markdown", { ...options, comparison });
    assert.match(text, /\n### What changed since the baseline\n/);
    assert.match(text, /\*\*Recommendation:\*\* unchanged at 1024 MB, timeout 2 s\./);
    assert.match(
      text,
      /\*\*gate --fail-on-regression 10% at 256 MB \(current configuration\): passed\*\*/,
    );
    assertValidTables(text, 2);
    assert.ok(!text.includes("\x1b["));
  });

  it("keeps the table whole when a cell holds a pipe, and says when nothing can be recommended", () => {
    const doc = sampleResult({ recommendation: null });
    doc.tiers[0] = { ...doc.tiers[0]!, excluded: "p95 | too slow" };
    const text = renderResult(doc, "markdown", options);
    assertValidTables(text, 1);
    assert.match(text, /\*\*No recommendation:\*\* no measured size met the strategy/);
    const empty = renderResult(
      sampleResult({ tiers: [], recommendation: null }),
      "markdown",
      options,
    );
    assert.match(empty, /No memory size was measured\./);
  });
});
