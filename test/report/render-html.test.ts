import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { memoryAxis, niceStep, valueAxis } from "../../src/report/chart-ticks.js";
import { escapeHtml } from "../../src/report/html-escape.js";
import { renderHtml } from "../../src/report/render-html.js";
import { isOutputFormat, renderResult } from "../../src/report/renderers.js";
import { samplePredict, sampleResult } from "../document/sample-result.js";

/** Each <svg>...</svg> of the page. */
function svgs(html: string): string[] {
  return html.match(/<svg\b[\s\S]*?<\/svg>/g) ?? [];
}

/** The page with its text content removed: what is left is markup and attributes. */
function markup(html: string): string {
  return html.replace(/>[^<]*</g, "><");
}

describe("renderHtml", () => {
  const html = renderHtml(sampleResult(), { predict: samplePredict });

  it("is one self-contained page: no references to anything outside it", () => {
    assert.ok(html.startsWith('<!doctype html>\n<html lang="en">'));
    assert.ok(html.endsWith("</html>\n"));
    assert.doesNotMatch(markup(html), /https?:\/\//i);
    assert.doesNotMatch(html, /<(script|link|img|iframe|object)\b/i);
    assert.doesNotMatch(html, /\b(src|href)=/i);
    assert.doesNotMatch(html, /url\((?!#)/, "CSS and SVG refer only to the page's own ids");
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  });

  it("escapes every string from the document", () => {
    const name = `fn<script>alert("x")</script>&'`;
    const doc = sampleResult({ function: name, warnings: ["<b>bold</b>"] });
    doc.tiers[0]!.errorTypes = { "<img onerror=x>": 1 };
    doc.tiers[0]!.errors = 4;
    const page = renderHtml(doc, { predict: samplePredict });
    assert.ok(!page.includes("<script"), "no script element");
    assert.ok(!page.includes("<b>") && !page.includes("<img"));
    assert.ok(page.includes("fn&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"));
    assert.ok(page.includes("<title>lambda-tune: fn&lt;script&gt;"));
  });

  it("has one chart per measure, each with a title and a point per measured size", () => {
    const charts = svgs(html);
    assert.equal(charts.length, 2);
    const sizes = sampleResult().tiers.map((t) => t.memoryMb);
    for (const svg of charts) {
      assert.match(svg, /^<svg class="chart" viewBox="0 0 \d+ \d+" role="img" aria-labelledby=/);
      assert.match(svg, /<title id="[a-z-]+-title">[^<]+<\/title>/);
      assert.match(svg, /<desc id="[a-z-]+-desc">Measured at 5 memory sizes/);
      const points = [...svg.matchAll(/<circle class="point[^"]*" data-memory-mb="(\d+)"/g)];
      assert.deepEqual(
        points.map((p) => Number(p[1])),
        sizes,
      );
      assert.match(svg, /<path class="fit" clip-path="url\(#[a-z-]+-plot\)" d="M[\d.]+,[\d.]+L/);
    }
  });

  it("marks the recommended size in both charts and the table, and the excluded one", () => {
    for (const svg of svgs(html)) {
      assert.match(svg, /<circle class="point recommended" data-memory-mb="1024"/);
      assert.match(svg, /<circle class="point excluded" data-memory-mb="128"/);
      assert.match(svg, /<g class="recommended-marker">.*1024 MB recommended/);
    }
    assert.match(html, /<tr class="recommended" data-memory-mb="1024"><th scope="row">1024 /);
    assert.match(html, /<tr class="excluded" data-memory-mb="128">/);
  });

  it("has the terminal table's columns as header cells and one row per size", () => {
    const head = [...html.matchAll(/<th scope="col">([^<]+)<\/th>/g)].map((m) => m[1]);
    assert.deepEqual(head, [
      "memory MB",
      "calls warm+cold",
      "median ms",
      "p95 ms",
      "max used MB",
      "per 1M USD",
      "cold call ms+init",
      "init cost /1M cold",
      "errors",
    ]);
    assert.equal(html.match(/<th scope="row">/g)?.length, 5);
    assert.match(html, /<td>2,398<\/td>/);
    assert.match(html, /<td class="errors">3 OOM<\/td>/);
  });

  it("states the recommendation, reason, runner-up, band, timeout, model, sweep cost and warnings", () => {
    assert.match(
      html,
      /Recommended: <span class="size">1024 MB<\/span>, timeout <strong>2 s<\/strong>/,
    );
    assert.match(html, /1,024 MB is the fastest of them \(2x faster than 512 MB\): \$4\.95/);
    assert.match(
      html,
      /runner-up:<\/span> 512 MB: 1\.3% dearer \(95% interval \+0\.42% to \+2\.3%, from 9 and 9 warm calls\)/,
    );
    assert.match(html, /band:<\/span> 512, 1,024 MB within 2% of the cheapest \(1,024 MB\)/);
    assert.match(html, /<td>3,357\+630<\/td>/, "the cold call apart, with its init");
    assert.match(html, /timeout:<\/span> p99 334 ms/);
    assert.match(html, /current timeout 6 s → recommended 2 s/);
    assert.match(html, /duration model: amdahl a \+ b\/min\(m, knee\)/);
    assert.match(html, /this sweep: 50 invocations, \$0\.00026/);
    assert.match(html, /\$0\.0000002 per request/);
    assert.match(html, /the first invocation at each size was a cold start/);
    assert.match(html, /128 MB excluded: 3 of 10 invocations ran out of memory/);
  });

  it("adapts to dark mode and print", () => {
    assert.match(html, /@media \(prefers-color-scheme: dark\)/);
    assert.match(html, /@media print/);
  });

  it("warns when isolation was none, and explains a missing recommendation", () => {
    const page = renderHtml(sampleResult({ isolation: "none", recommendation: null }));
    assert.match(page, /Isolation none: CPU and memory were not limited/);
    assert.match(page, /No recommendation:<\/strong> no measured size met the strategy/);
    assert.doesNotMatch(page, /<g class="recommended-marker"|class="point recommended"/);
    assert.doesNotMatch(page, /class="fit"/, "no curve without predict");
  });

  it("draws no chart when nothing was measured", () => {
    const page = renderHtml(sampleResult({ tiers: [], recommendation: null, model: null }));
    assert.equal(svgs(page).length, 0);
    assert.match(page, /No memory size was measured/);
    assert.match(page, /duration model: none fitted/);
  });

  it("draws a single measured size", () => {
    const doc = sampleResult();
    const page = renderHtml({ ...doc, tiers: doc.tiers.slice(3, 4) }, { predict: samplePredict });
    for (const svg of svgs(page)) {
      assert.equal(svg.match(/<circle /g)?.length, 1);
      assert.doesNotMatch(svg, /NaN|Infinity/);
    }
  });

  it("is registered as the html output format", () => {
    assert.ok(isOutputFormat("html"));
    const text = renderResult(sampleResult(), "html", {
      color: true,
      width: 80,
      predict: samplePredict,
    });
    assert.equal(text, html);
  });
});

describe("escapeHtml", () => {
  it("escapes the five characters that matter in text and attributes", () => {
    assert.equal(
      escapeHtml(`<a href="x">'&'</a>`),
      "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
    );
  });
});

describe("chart axes", () => {
  it("steps by 1, 2, 2.5 or 5 times a power of ten", () => {
    assert.equal(niceStep(2400, 5), 500);
    assert.equal(niceStep(0.5, 5), 0.1);
    assert.equal(niceStep(1000, 4), 250);
  });

  it("starts durations at zero and fits costs to the data", () => {
    assert.deepEqual(valueAxis([195, 2710], true), {
      min: 0,
      max: 3000,
      ticks: [0, 500, 1000, 1500, 2000, 2500, 3000],
    });
    const cost = valueAxis([4.95, 5.35], false);
    assert.ok(cost.min <= 4.95 && cost.min > 4.5 && cost.max >= 5.35 && cost.max < 5.6);
    assert.deepEqual(valueAxis([7, 7], false).ticks.length > 1, true);
  });

  it("ticks memory at multiples of 128 MB and more", () => {
    assert.deepEqual(memoryAxis(128, 1536).ticks, [0, 256, 512, 768, 1024, 1280, 1536]);
    assert.deepEqual(memoryAxis(128, 3008).ticks, [0, 512, 1024, 1536, 2048, 2560, 3072]);
    const single = memoryAxis(1024, 1024);
    assert.ok(single.min < 1024 && single.max > 1024);
  });
});
