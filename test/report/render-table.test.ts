import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Tier } from "../../src/document/result.js";
import { stripAnsi } from "../../src/report/ansi.js";
import { errorsText, renderTable } from "../../src/report/render-table.js";
import { sampleResult } from "../document/sample-result.js";

const plain = { color: false, width: 120 };
const ESC = "\x1b[";

/** The table row of a size: the line whose first cell is that memory size. */
function rowOf(text: string, memoryMb: number): string {
  const row = text.split("\n").find((line) => new RegExp(`^[│ ]*${memoryMb}\\b`).test(line));
  assert.ok(row, `no row for ${memoryMb} MB in\n${text}`);
  return row;
}

describe("renderTable", () => {
  it("renders a row for every measured size with its numbers", () => {
    const text = renderTable(sampleResult(), plain);
    for (const memoryMb of [128, 256, 512, 1024, 1536]) rowOf(text, memoryMb);
    const row = rowOf(text, 512);
    for (const cell of ["9+1", "561", "634", "120 (23%)", "$5.02", "785+328", "$4.38"]) {
      assert.ok(row.includes(cell), `${cell} missing from ${row}`);
    }
  });

  it("marks the recommended size, and only it", () => {
    const text = renderTable(sampleResult(), plain);
    assert.ok(rowOf(text, 1024).includes("◀"));
    for (const memoryMb of [128, 256, 512, 1536]) assert.ok(!rowOf(text, memoryMb).includes("◀"));
    assert.match(text, /◀ recommended: 1024 MB \(strategy cost\)/);
  });

  it("marks no row when there is no recommendation", () => {
    const text = renderTable(sampleResult({ recommendation: null }), plain);
    assert.ok(!text.includes("◀"), text);
  });

  it("lists each size's warnings under the table, naming the size once", () => {
    const doc = sampleResult();
    const tiers = doc.tiers.map((t) =>
      t.memoryMb === 256
        ? { ...t, warnings: ["256 MB: Max Memory Used is 96% of the memory size"] }
        : t,
    );
    const text = renderTable({ ...doc, tiers }, plain);
    assert.match(text, /^! 128 MB: Max Memory Used 129 MB is above the memory size$/m);
    assert.match(text, /^! 256 MB: Max Memory Used is 96% of the memory size$/m);
  });

  it("prints no empty table when nothing was measured", () => {
    const text = renderTable(sampleResult({ tiers: [], recommendation: null }), plain);
    assert.ok(text.endsWith("\nno memory size was measured"), text);
    assert.ok(!text.includes("median"));
  });

  it("marks an excluded size, says why, and names its errors", () => {
    const text = renderTable(sampleResult(), plain);
    const row = rowOf(text, 128);
    assert.ok(row.includes("✗") && row.includes("3 OOM"), row);
    assert.match(text, /✗ 128 MB excluded: 3 of 10 invocations ran out of memory/);
  });

  it("wraps the header between its parts on a narrow terminal", () => {
    const lines = renderTable(sampleResult(), { color: false, width: 60 }).split("\n");
    assert.deepEqual(lines.slice(0, 2), [
      "fixtures/handlers/cpu-bound.handler · local target · x86_64",
      "us-east-1 · isolation cgroup-v2",
    ]);
  });

  it("writes the header with function, target, architecture, region and isolation", () => {
    const first = renderTable(sampleResult(), plain).split("\n")[0];
    assert.equal(
      first,
      "fixtures/handlers/cpu-bound.handler · local target · x86_64 · us-east-1 · isolation cgroup-v2",
    );
  });

  it("says plainly that durations do not reflect memory size without isolation", () => {
    const text = renderTable(sampleResult({ isolation: "none" }), plain);
    assert.match(text.replace(/\n/g, " "), /durations do not reflect memory size/);
    const isolated = renderTable(sampleResult(), plain);
    assert.ok(!isolated.includes("do not reflect"));
  });

  it("contains no escape codes without color, and some with it", () => {
    assert.ok(!renderTable(sampleResult(), { ...plain, color: false }).includes(ESC));
    const colored = renderTable(sampleResult(), { ...plain, color: true });
    assert.ok(colored.includes(ESC));
    assert.equal(stripAnsi(colored), renderTable(sampleResult(), plain));
  });

  it("drops the borders when the bordered table is wider than the terminal", () => {
    const wide = renderTable(sampleResult(), { color: false, width: 120 });
    assert.ok(wide.includes("│"));
    const narrow = renderTable(sampleResult(), { color: false, width: 80 });
    assert.ok(!narrow.includes("│"));
    for (const line of narrow.split("\n")) assert.ok(line.length <= 80, `too wide: ${line}`);
    const colored = renderTable(sampleResult(), { color: true, width: 80 });
    for (const line of colored.split("\n")) assert.ok(stripAnsi(line).length <= 80, line);
  });

  it("fits 60 and 50 columns by leaving out columns, cold-start ones first, and says which", () => {
    // Issue 11: the borderless table was still 78 columns wide at 60.
    for (const width of [60, 50]) {
      const text = renderTable(sampleResult(), { color: true, width });
      for (const line of text.split("\n")) {
        assert.ok(stripAnsi(line).length <= width, `${width}: too wide: ${line}`);
      }
      const plainText = stripAnsi(text);
      for (const kept of ["memory", "median", "per 1M", "errors"]) {
        assert.ok(plainText.includes(kept), `${width}: ${kept} kept`);
      }
      assert.ok(!plainText.includes("cold call  "), `${width}: cold call left out`);
      assert.match(
        plainText.replace(/\n/g, " "),
        /left out to fit \d+ columns: .*cold call, init cost/,
      );
    }
    assert.ok(!renderTable(sampleResult(), { color: false, width: 120 }).includes("left out"));
  });
});

describe("errorsText", () => {
  const tier = sampleResult().tiers[1]!;
  const withErrors = (fields: Partial<Tier>): Tier => ({ ...tier, ...fields });

  it("says 0 when there were none", () => {
    assert.equal(errorsText(tier), "0");
  });

  it("names a single kind with its count", () => {
    assert.equal(errorsText(withErrors({ errors: 2, timeouts: 2 })), "2 timeout");
    const handler = withErrors({ errors: 2, errorTypes: { "Runtime.HandlerError": 2 } });
    assert.equal(errorsText(handler), "2 HandlerError");
  });

  it("counts out-of-memory once and accounts for errors of no known type", () => {
    const mixed = withErrors({
      errors: 4,
      timeouts: 2,
      outOfMemory: 1,
      errorTypes: { "Runtime.OutOfMemory": 1 },
    });
    assert.equal(errorsText(mixed), "4: 2 timeout, 1 OOM, 1 other");
  });
});
