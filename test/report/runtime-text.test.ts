import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderHtml } from "../../src/report/render-html.js";
import { renderMarkdown } from "../../src/report/render-markdown.js";
import { renderTable } from "../../src/report/render-table.js";
import { runtimeText } from "../../src/report/runtime-text.js";
import { sampleResult } from "../document/sample-result.js";

const python = { name: "python3.11", interpreter: "/usr/bin/python3.11", version: "3.11.2" };

describe("the runtime in the headers", () => {
  it("names Lambda's runtime, the local program and its version, and a compiler", () => {
    assert.equal(runtimeText(python), "python3.11 (/usr/bin/python3.11 3.11.2)");
    assert.equal(
      runtimeText({ name: "provided.al2023", interpreter: "/fn/bootstrap" }),
      "provided.al2023 (/fn/bootstrap)",
    );
    assert.equal(
      runtimeText({
        name: "nodejs20.x",
        interpreter: "/usr/bin/node",
        version: "20.20.2",
        compiler: "esbuild 0.28.2",
      }),
      "nodejs20.x (/usr/bin/node 20.20.2, compiled with esbuild 0.28.2)",
    );
  });

  it("shows in the table, Markdown and HTML when the result has one, and not otherwise", () => {
    const doc = sampleResult({ runtime: python });
    const shown = "python3.11 (/usr/bin/python3.11 3.11.2)";
    assert.ok(renderTable(doc, { color: false, width: 140 }).split("\n")[0]?.includes(shown));
    assert.ok(renderMarkdown(doc).includes(shown));
    assert.ok(renderHtml(doc).includes(shown));
    assert.ok(!renderTable(sampleResult(), { color: false, width: 140 }).includes("python3.11"));
  });
});
