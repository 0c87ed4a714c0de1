import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ResultDocument } from "../../src/document/result.js";
import { stripAnsi } from "../../src/report/ansi.js";
import { interpolate, renderCharts } from "../../src/report/render-chart.js";
import { samplePredict, sampleResult } from "../document/sample-result.js";

const ESC = "\x1b[";
const SIZES = [128, 256, 512, 1024, 1536];

/** The lines of the first chart: from its title to the caret line. */
function firstChart(text: string): string[] {
  return text.split("\n\n")[0]!.split("\n").map(stripAnsi);
}

function axisLines(chart: string[]) {
  const axis = chart.findIndex((line) => line.includes("└"));
  assert.ok(axis > 0, chart.join("\n"));
  return { axis: chart[axis]!, labels: chart[axis + 1]!, caret: chart[axis + 2] };
}

/** Column of each tick on the x axis, the corner first. */
function tickColumns(axis: string): number[] {
  return [...axis].flatMap((char, i) => (char === "└" || char === "┬" ? [i] : []));
}

describe("renderCharts", () => {
  it("draws a duration chart and a cost chart", () => {
    const text = renderCharts(sampleResult(), { color: false, width: 80 });
    const charts = text.split("\n\n");
    assert.equal(charts.length, 2);
    assert.match(charts[0]!, /^median duration \(ms\) by memory \(MB\)/);
    assert.match(charts[1]!, /^cost per 1M invocations \(USD\) by memory \(MB\)/);
    assert.match(charts[0]!, /2398 ┼/, "y axis starts at the largest median");
    assert.match(charts[1]!, /^5\.35 ┼/m, "cost axis at the largest cost per 1M");
  });

  it("labels the x axis with every measured size, placed linearly in memory", () => {
    const { axis, labels } = axisLines(
      firstChart(renderCharts(sampleResult(), { color: false, width: 80 })),
    );
    for (const size of SIZES) assert.match(labels, new RegExp(`\\b${size}\\b`));
    const ticks = tickColumns(axis);
    assert.equal(ticks.length, SIZES.length);
    const first = ticks[0]!;
    const span = ticks.at(-1)! - first;
    SIZES.forEach((size, i) => {
      const expected = first + (span * (size - 128)) / (1536 - 128);
      assert.ok(
        Math.abs(ticks[i]! - expected) <= 1,
        `${size} MB at ${ticks[i]}, expected ${expected}`,
      );
      const label = labels.indexOf(String(size));
      const under = label <= ticks[i]! && ticks[i]! < label + String(size).length;
      assert.ok(under, `label ${size} at ${label}, tick at ${ticks[i]}`);
    });
  });

  it("marks the recommended size under its tick", () => {
    const { axis, caret } = axisLines(
      firstChart(renderCharts(sampleResult(), { color: false, width: 80 })),
    );
    assert.ok(caret !== undefined);
    assert.match(caret, /\^ 1024 MB recommended/);
    assert.equal(caret.indexOf("^"), tickColumns(axis)[3]);
  });

  it("puts the caret's words on its left when they would run past the width", () => {
    const { axis, caret } = axisLines(
      firstChart(renderCharts(sampleResult(), { color: false, width: 40 })),
    );
    assert.match(caret ?? "", /1024 MB recommended \^$/);
    assert.equal(caret!.indexOf("^"), tickColumns(axis)[3]);
  });

  it("has no caret without a recommendation", () => {
    const text = renderCharts(sampleResult({ recommendation: null }), { color: false, width: 80 });
    assert.ok(!text.includes("recommended"));
  });

  it("keeps every line within the width", () => {
    for (const width of [40, 60, 80, 132]) {
      for (const color of [false, true]) {
        const text = renderCharts(sampleResult(), { color, width, predict: samplePredict });
        for (const line of text.split("\n")) {
          assert.ok(stripAnsi(line).length <= width, `${width} columns: ${stripAnsi(line)}`);
        }
      }
    }
  });

  it("uses the requested height", () => {
    const chart = firstChart(renderCharts(sampleResult(), { color: false, width: 80, height: 5 }));
    const rows = chart.filter((line) => /[┤┼]/.test(line));
    assert.ok(rows.length >= 5 && rows.length <= 7, `${rows.length} rows`);
  });

  it("draws the fitted curve with its model and error when given the model", () => {
    const text = renderCharts(sampleResult(), { color: false, width: 80, predict: samplePredict });
    assert.match(text, /── measured, ·· amdahl fit \(held-out error 2\.1%\)/);
    const plot = firstChart(text).filter((line) => line.includes("┤"));
    assert.ok(
      plot.some((line) => line.includes("·")),
      "fitted points drawn",
    );
    const without = renderCharts(sampleResult(), { color: false, width: 80 });
    assert.ok(!without.includes("·") && !without.includes("fit"));
  });

  it("leaves out a fitted curve that is not finite over the range", () => {
    const text = renderCharts(sampleResult(), {
      color: false,
      width: 80,
      predict: () => Number.NaN,
    });
    assert.ok(!text.includes("fit"));
  });

  it("contains escape codes only with color", () => {
    const options = { width: 80, predict: samplePredict };
    assert.ok(!renderCharts(sampleResult(), { ...options, color: false }).includes(ESC));
    assert.ok(!renderCharts(sampleResult(), { ...options, color: false }).includes("\u0000"));
    assert.ok(renderCharts(sampleResult(), { ...options, color: true }).includes(ESC));
  });

  it("keeps the recommended, smallest and largest labels when sizes are crowded", () => {
    const base = sampleResult();
    const template = base.tiers[2]!;
    const tiers = Array.from({ length: 46 }, (_, i) => ({ ...template, memoryMb: 128 + 64 * i }));
    const doc: ResultDocument = {
      ...base,
      tiers,
      recommendation: { ...base.recommendation!, memoryMb: 1600 },
    };
    const { labels } = axisLines(firstChart(renderCharts(doc, { color: false, width: 60 })));
    for (const size of ["128", "1600", "3008"]) assert.ok(labels.includes(size), labels);
    assert.match(labels, /^ *\d+( +\d+)* *$/, "labels do not run into each other");
  });

  it("draws a single measured size as a flat line", () => {
    const doc = sampleResult();
    const text = renderCharts(
      { ...doc, tiers: doc.tiers.slice(3, 4) },
      { color: false, width: 50 },
    );
    const { labels, caret } = axisLines(firstChart(text));
    assert.equal(labels.trim(), "1024");
    assert.match(caret ?? "", /1024 MB recommended/);
  });

  it("draws nothing when nothing was measured", () => {
    assert.equal(renderCharts(sampleResult({ tiers: [] }), { color: false, width: 80 }), "");
  });
});

describe("interpolate", () => {
  const points = [
    { memoryMb: 128, value: 100 },
    { memoryMb: 256, value: 50 },
    { memoryMb: 1024, value: 10 },
  ];

  it("is exact at measured sizes and linear between them", () => {
    assert.equal(interpolate(points, 128), 100);
    assert.equal(interpolate(points, 192), 75);
    assert.equal(interpolate(points, 640), 30);
    assert.equal(interpolate(points, 1024), 10);
  });

  it("holds the end values outside the measured range", () => {
    assert.equal(interpolate(points, 64), 100);
    assert.equal(interpolate(points, 2048), 10);
  });
});
