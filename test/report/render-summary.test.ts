import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ResultDocument } from "../../src/document/result.js";
import { stripAnsi } from "../../src/report/ansi.js";
import { prettyFormula, renderSummary } from "../../src/report/render-summary.js";
import { sampleResult } from "../document/sample-result.js";

/** The summary on a terminal wide enough that no sentence wraps. */
function summary(doc: ResultDocument, verbose = false): string {
  return renderSummary(doc, { color: false, width: 400, verbose });
}

describe("renderSummary", () => {
  it("states the recommendation and why in a short paragraph; the detail with --verbose", () => {
    const text = summary(sampleResult());
    assert.match(text, /^Recommended: 1024 MB, timeout 2 s \(strategy cost\)/);
    assert.match(
      text,
      /512-1,024 MB cost the same within 2%; 1,024 MB is the fastest of them \(2x faster than 512 MB\): \$4\.95 per 1M invocations, median 276 ms/,
    );
    assert.doesNotMatch(text, /expected:|timeout: p99|band:|duration model:/);
    const verbose = summary(sampleResult(), true);
    assert.match(verbose, /expected: 276 ms median, \$4\.95 per 1M invocations/);
    assert.match(verbose, /timeout: p99 334 ms \+ cold start 247 ms/);
    assert.match(
      verbose,
      /band: 512, 1,024 MB within 2% of the cheapest \(1,024 MB\); costs resolved to ±1\.2%/,
    );
  });

  it("states the runner-up once, with its interval from 3 warm calls at each size", () => {
    const text = summary(sampleResult());
    const lines = text.split("\n").filter((line) => line.includes("runner-up"));
    assert.deepEqual(lines, [
      "  runner-up 512 MB: 1.3% dearer (95% interval +0.42% to +2.3%, from 9 and 9 warm calls)",
    ]);
  });

  it("says there are not enough calls to compare, and what to do, from fewer", () => {
    const doc = sampleResult();
    const rec = doc.recommendation!;
    const few = {
      ...rec,
      runnerUp: { ...rec.runnerUp!, warmCalls: [3, 2] as [number, number], enoughCalls: false },
    };
    delete few.confidence;
    const text = summary({ ...doc, recommendation: few });
    assert.match(
      text,
      /runner-up 512 MB: 1\.3% dearer by 3 and 2 warm calls: not enough calls to compare \(an interval needs 3 at each; a larger -n gives them\)/,
    );
    assert.doesNotMatch(text, /interval [+−]/);
  });

  it("says what production's cold starts did to the pick", () => {
    const doc = sampleResult();
    const rec = doc.recommendation!;
    const coldStarts = {
      rate: 0.05,
      source: "--cold-start-rate",
      billInit: true,
      steadyStateMemoryMb: 512,
      changesPick: true,
    };
    assert.match(
      summary({ ...doc, recommendation: { ...rec, coldStarts } }),
      /cold starts: at a 5% cold-start rate \(Init billed\) the pick moves from 512 MB \(warm calls alone\) to 1,024 MB/,
    );
    const same = { ...coldStarts, steadyStateMemoryMb: 1024, changesPick: false, billInit: false };
    assert.match(
      summary({ ...doc, recommendation: { ...rec, coldStarts: same } }),
      /cold starts: at a 5% cold-start rate \(Init not billed\) the pick is the same as from warm calls alone/,
    );
  });

  it("reads an older result without a band or runner-up, from its confidence", () => {
    const doc = sampleResult();
    const { band: _band, runnerUp: _runnerUp, ...old } = doc.recommendation!;
    assert.match(
      summary({ ...doc, recommendation: old }),
      /confidence: runner-up 512 MB costs 1\.3% more \(\+\$0\.067 per 1M; 95% interval \+\$0\.021 to \+\$0\.11\)/,
    );
  });

  it("compares with the current configuration when it was measured", () => {
    const text = summary(sampleResult());
    assert.match(
      text,
      /current 256 MB: \$5\.05 per 1M, 1,131 ms median → recommended saves 2\.1% and runs 4\.1x faster/,
    );
    assert.match(text, /current timeout 6 s → recommended 2 s/);
  });

  it("says when the recommended size costs more than the current one", () => {
    const doc = sampleResult({ current: { memoryMb: 512 } });
    const rec = { ...doc.recommendation!, expectedCostPerInvocationUsd: 6e-6 };
    assert.match(
      summary({ ...doc, recommendation: rec }),
      /current 512 MB: \$5\.02 per 1M, 561 ms median → recommended costs 20% more and runs 2\.03x faster/,
    );
  });

  it("says when the current size is already the recommended one, or was not measured", () => {
    assert.match(
      summary(sampleResult({ current: { memoryMb: 1024, timeoutSeconds: 2 } })),
      /current 1024 MB is already the recommended size.*current timeout 2 s is kept/s,
    );
    assert.match(
      summary(sampleResult({ current: { memoryMb: 3008 } })),
      /current 3008 MB was not measured/,
    );
  });

  it("leaves the comparison out when the current configuration is unknown", () => {
    const doc = sampleResult();
    delete doc.current;
    assert.ok(!summary(doc).includes("current"));
  });

  it("explains a missing recommendation when every size was excluded", () => {
    const doc = sampleResult({ recommendation: null });
    const tiers = doc.tiers.map((t) => ({
      ...t,
      excluded: t.excluded ?? "p95 above the 200 ms ceiling",
    }));
    const text = summary({ ...doc, tiers });
    assert.match(text, /^No recommendation: every measured size was excluded\./);
    assert.match(text, /128 MB: 3 of 10 invocations ran out of memory/);
    assert.match(text, /1536 MB: p95 above the 200 ms ceiling/);
    assert.ok(!text.includes("Recommended:"));
  });

  it("explains a missing recommendation when nothing was measured, or nothing met the constraints", () => {
    assert.match(
      summary(sampleResult({ tiers: [], recommendation: null })),
      /^No recommendation: no memory size was measured\./,
    );
    assert.match(
      summary(sampleResult({ recommendation: null })),
      /^No recommendation: no measured size met the strategy and its constraints\.\n {2}128 MB: 3 of 10/,
    );
  });

  it("names the model with its formula, parameters and held-out error (verbose)", () => {
    const text = summary(sampleResult(), true);
    assert.match(
      text,
      /duration model: amdahl a \+ b\/min\(m, knee\) with a=3\.4, b=281600, knee=1769, held-out error 2\.1% \(also tried: power 3\.5%, exponential 9\.4%, logarithmic 48%\)/,
    );
    const exponential = sampleResult({
      model: {
        name: "exponential",
        formula: "a0 + a1*exp(-m/a2)",
        parameters: {},
        error: 0.031,
        candidates: [],
      },
    });
    assert.match(
      summary(exponential, true),
      /duration model: exponential a0 \+ a1·e\^\(−m\/a2\), held-out error 3\.1%\n/,
    );
    assert.match(summary(sampleResult({ model: null }), true), /duration model: none fitted/);
  });

  it("gives the cost of the sweep and the run's warnings", () => {
    const text = summary(sampleResult());
    assert.match(text, /this sweep: 50 invocations, \$0\.00026\n/);
    assert.match(text, /warnings:\n {2}- the first invocation at each size was a cold start/);
    assert.match(text, /! costs from 256 to 1024 MB are within 3% of each other/);
    assert.ok(!summary(sampleResult({ warnings: [] })).includes("warnings:"));
  });

  it("wraps to the width and colors only when asked", () => {
    const plain = renderSummary(sampleResult(), { color: false, width: 60 });
    for (const line of plain.split("\n")) assert.ok(line.length <= 60, line);
    assert.ok(!plain.includes("\x1b["));
    const colored = renderSummary(sampleResult(), { color: true, width: 60 });
    assert.ok(colored.includes("\x1b["));
    assert.equal(stripAnsi(colored), plain);
  });
});

describe("prettyFormula", () => {
  it("writes products, exponentials and minus signs as in print", () => {
    assert.equal(prettyFormula("a0 + a1*exp(-m/a2)"), "a0 + a1·e^(−m/a2)");
    assert.equal(prettyFormula("a + b/min(m, knee)"), "a + b/min(m, knee)");
    assert.equal(prettyFormula("a * m^-b"), "a·m^−b");
  });
});
