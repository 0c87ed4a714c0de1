import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canonicalize } from "../../src/document/canonical.js";
import { isOutputFormat, renderResult } from "../../src/report/renderers.js";
import { samplePredict, sampleResult } from "../document/sample-result.js";
import { keyOrderProblems } from "../document/schema-walk.js";
import { assertValidResult } from "../document/validate.js";

const options = { color: false, width: 100, predict: samplePredict };

describe("renderResult", () => {
  it("prints the document as indented JSON that matches the schema, keys in its order", () => {
    const doc = sampleResult();
    const text = renderResult(doc, "json", { ...options, color: true });
    assert.equal(text, `${JSON.stringify(canonicalize(doc), null, 2)}\n`);
    assert.deepEqual(JSON.parse(text), doc);
    assert.deepEqual(keyOrderProblems(JSON.parse(text)), []);
    assert.ok(!text.includes("\x1b["), "JSON is never colored");
    assertValidResult(JSON.parse(text));
  });

  it("prints the table, the charts and the summary in that order", () => {
    const text = renderResult(sampleResult(), "table", options);
    const table = text.indexOf("cold call");
    const chart = text.indexOf("median duration (ms) by memory (MB)");
    const summary = text.indexOf("Recommended: 1024 MB");
    assert.ok(table >= 0 && table < chart && chart < summary, text);
    assert.ok(text.endsWith("\n") && !text.endsWith("\n\n"));
    assert.ok(!text.includes("\x1b["));
    assert.ok(renderResult(sampleResult(), "table", { ...options, color: true }).includes("\x1b["));
  });

  it("leaves no empty section when nothing was measured", () => {
    const text = renderResult(sampleResult({ tiers: [], recommendation: null }), "table", options);
    assert.ok(!text.includes("\n\n\n"), text);
    assert.match(text, /No recommendation: no memory size was measured/);
  });

  it("knows its format names", () => {
    assert.ok(isOutputFormat("table"));
    assert.ok(isOutputFormat("json"));
    assert.ok(isOutputFormat("markdown"));
    assert.ok(!isOutputFormat("xml"));
    assert.ok(!isOutputFormat("toString"));
  });
});
