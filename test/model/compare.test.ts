import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Distribution, ResultDocument, Tier } from "../../src/document/result.js";
import { changeBetween } from "../../src/model/change.js";
import { compareResults } from "../../src/model/compare.js";
import { sampleResult } from "../document/sample-result.js";

function scale(d: Distribution, factor: number): Distribution {
  const { count, ...values } = d;
  const scaled = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v * factor]));
  return { count, ...scaled } as Distribution;
}

/** The tier as if every invocation took `factor` times as long. */
function slower(tier: Tier, factor: number, doc: ResultDocument): Tier {
  const billedDurationMs = scale(tier.billedDurationMs, factor);
  const { pricePerGbSecondUsd, pricePerRequestUsd } = doc.pricing;
  const cost =
    pricePerGbSecondUsd * (tier.memoryMb / 1024) * (billedDurationMs.mean / 1000) +
    pricePerRequestUsd;
  return {
    ...tier,
    durationMs: scale(tier.durationMs, factor),
    billedDurationMs,
    costPerInvocationUsd: cost,
    costPerMillionUsd: cost * 1e6,
  };
}

function slowedDoc(factor: number, overrides: Partial<ResultDocument> = {}): ResultDocument {
  const doc = sampleResult(overrides);
  return { ...doc, tiers: doc.tiers.map((t) => slower(t, factor, doc)) };
}

describe("changeBetween", () => {
  it("puts a Welch interval on the ratio, on the log scale, and says when it excludes zero", () => {
    const change = changeBetween(
      { value: 100, standardError: 3, count: 10 },
      { value: 120, standardError: 4, count: 10 },
    );
    assert.equal(change.difference, 20);
    assert.equal(change.relative, 0.2);
    const [low, high] = change.interval!;
    // Relative standard errors 3% and 3.33% add to 4.49% of ln(ratio); Welch df ~16.9, t ~2.11.
    const spread = 2.11 * Math.hypot(0.03, 4 / 120);
    assert.ok(Math.abs(low / 100 - (1.2 * Math.exp(-spread) - 1)) < 0.005, `${low}..${high}`);
    assert.ok(Math.abs(high / 100 - (1.2 * Math.exp(spread) - 1)) < 0.005, `${low}..${high}`);
    assert.equal(change.verdict, "increase");
    assert.deepEqual(change.relativeInterval, [low / 100, high / 100]);
  });

  it("never gives a relative interval below -100%, however noisy the two sides", () => {
    // An interval on the plain difference gives -127% to +64% here ("-1507% to +1444%" was seen).
    const noisy = changeBetween(
      { value: 18.8, standardError: 5, count: 3 },
      { value: 12.9, standardError: 4, count: 3 },
    );
    const [low, high] = noisy.relativeInterval!;
    assert.ok(low > -1 && low < 0 && high > 0, `${low}..${high}`);
    assert.equal(noisy.verdict, "within-noise");
  });

  it("calls a small change within noise and refuses to judge single calls", () => {
    const small = changeBetween(
      { value: 100, standardError: 3, count: 10 },
      { value: 104, standardError: 3, count: 10 },
    );
    assert.equal(small.verdict, "within-noise");
    const single = changeBetween(
      { value: 100, standardError: 0, count: 1 },
      { value: 200, standardError: 0, count: 1 },
    );
    assert.equal(single.verdict, "too-few-calls");
    assert.equal(single.interval, null);
  });
});

describe("compareResults", () => {
  it("finds nothing beyond noise between a result and itself, and the gate passes", () => {
    const c = compareResults(sampleResult(), sampleResult(), { threshold: 0.1 });
    assert.equal(c.sizes.length, 5);
    for (const size of c.sizes) {
      assert.equal(size.costPerInvocationUsd.verdict, "within-noise");
      assert.equal(size.p95Ms.relative, 0);
    }
    assert.equal(c.recommendation.moved, false);
    assert.equal(c.gate?.tripped, false);
    assert.equal(c.gate?.memoryMb, 256, "the current configuration is gated");
    assert.equal(c.gate?.basis, "current configuration");
    assert.deepEqual(c.warnings, []);
  });

  it("trips on a 20% slowdown at the gated size and says by how much", () => {
    const c = compareResults(sampleResult(), slowedDoc(1.2), { threshold: 0.1 });
    assert.equal(c.gate?.tripped, true);
    const cost = c.gate?.checks.find((check) => check.metric === "cost");
    assert.equal(cost?.tripped, true);
    assert.match(cost!.detail, /cost per invocation at 256 MB \+\d+(\.\d)?%/);
    assert.match(cost!.detail, /worse by more than 10% beyond noise/);
  });

  it("lets a slowdown below the threshold pass, but still reports it as beyond noise", () => {
    const c = compareResults(sampleResult(), slowedDoc(1.06), { threshold: 0.1 });
    assert.equal(c.gate?.tripped, false);
    const size = c.sizes.find((s) => s.memoryMb === 256)!;
    assert.ok(size.medianMs.relative > 0.05);
  });

  it("gates the baseline's recommended size when the current configuration is unknown", () => {
    const c = compareResults(sampleResult({ current: {} }), slowedDoc(1.2, { current: {} }), {
      threshold: 0.1,
    });
    assert.equal(c.gate?.memoryMb, 1024);
    assert.equal(c.gate?.basis, "baseline recommendation");
    assert.equal(c.gate?.tripped, true);
  });

  it("has no gate without a threshold", () => {
    assert.equal(compareResults(sampleResult(), slowedDoc(1.5)).gate, null);
  });

  it("says what moved, and trips when the old size now costs more than the threshold beyond noise", () => {
    const baseline = sampleResult();
    const current = sampleResult();
    // 1024 MB got 30% dearer; 512 MB is now recommended.
    const i1024 = current.tiers.findIndex((t) => t.memoryMb === 1024);
    current.tiers[i1024] = slower(current.tiers[i1024]!, 1.3, current);
    const t512 = current.tiers.find((t) => t.memoryMb === 512)!;
    current.recommendation = {
      ...current.recommendation!,
      memoryMb: 512,
      timeoutSeconds: 3,
      expectedCostPerInvocationUsd: t512.costPerInvocationUsd,
      expectedDurationMs: t512.durationMs.median,
    };
    const c = compareResults(baseline, current, { threshold: 0.1 });
    assert.equal(c.recommendation.moved, true);
    assert.equal(c.recommendation.timeoutChanged, true);
    assert.equal(c.recommendation.cost?.basis, "this run");
    assert.match(
      c.recommendation.summary,
      /^moved from 1024 MB to 512 MB, timeout 2 s → 3 s; in this run 512 MB costs \d+% less than 1024 MB \(95% interval/,
    );
    const check = c.gate?.checks.find((k) => k.metric === "recommendation");
    assert.equal(check?.tripped, true);
    assert.match(check!.detail, /differs by more than 10% beyond noise/);
  });

  it("reports, but does not gate, a move between sizes that cost about the same", () => {
    const baseline = sampleResult();
    const t512 = baseline.tiers.find((t) => t.memoryMb === 512)!;
    const current = sampleResult({
      recommendation: { ...baseline.recommendation!, memoryMb: 512 },
    });
    const c = compareResults(baseline, current, { threshold: 0.1 });
    assert.equal(c.recommendation.moved, true);
    assert.ok(Math.abs(c.recommendation.cost!.relative) < 0.05, `${t512.costPerMillionUsd}`);
    assert.equal(c.gate?.tripped, false);
  });

  it("trips when the gated size now fails, or nothing can be recommended", () => {
    const current = sampleResult();
    const i256 = current.tiers.findIndex((t) => t.memoryMb === 256);
    current.tiers[i256] = { ...current.tiers[i256]!, errors: 2, excluded: "2 of 10 failed" };
    const failing = compareResults(sampleResult(), current, { threshold: 0.1 });
    assert.equal(failing.gate?.checks.find((k) => k.metric === "errors")?.tripped, true);
    const none = compareResults(sampleResult(), sampleResult({ recommendation: null }), {
      threshold: 0.1,
    });
    assert.equal(none.gate?.tripped, true);
    assert.match(none.recommendation.summary, /now no size can be recommended/);
  });

  it("lists sizes measured on one side only; a gate that compared nothing fails, saying why", () => {
    const current = sampleResult();
    current.tiers = current.tiers.filter((t) => t.memoryMb !== 256);
    const c = compareResults(sampleResult(), current, { threshold: 0.1 });
    assert.deepEqual(c.onlyInBaseline, [256]);
    assert.deepEqual(c.onlyInCurrent, []);
    assert.equal(c.gate?.inconclusive, true);
    assert.equal(c.gate?.tripped, true);
    assert.match(
      c.gate!.checks[0]!.detail,
      /256 MB was not measured in both runs.*compared nothing and fails \(--allow-inconclusive lets it pass\)/,
    );
    const allowed = compareResults(sampleResult(), current, {
      threshold: 0.1,
      allowInconclusive: true,
    });
    assert.equal(allowed.gate?.inconclusive, true);
    assert.equal(allowed.gate?.tripped, false);
    assert.match(allowed.gate!.checks[0]!.detail, /passed as inconclusive/);
  });

  it("fails as inconclusive when the gated size has too few calls to tell anything", () => {
    const one = (doc: ResultDocument) => {
      for (const tier of doc.tiers) {
        tier.durationMs.count = 1;
        tier.billedDurationMs.count = 1;
      }
      return doc;
    };
    const c = compareResults(one(sampleResult()), one(slowedDoc(1.5)), { threshold: 0.1 });
    assert.equal(c.gate?.inconclusive, true);
    assert.equal(c.gate?.tripped, true);
    assert.match(c.gate!.checks[0]!.detail, /too few calls in one run/);
  });

  it("warns when the runs are not alike", () => {
    const c = compareResults(
      sampleResult(),
      sampleResult({ function: "other", region: "eu-west-1" }),
    );
    assert.ok(
      c.warnings.some((w) => w.includes("the baseline is for fixtures/handlers/cpu-bound.handler")),
    );
    assert.ok(c.warnings.some((w) => w.includes("region differs")));
  });

  it("is plain data that survives a JSON round trip", () => {
    const c = compareResults(sampleResult(), slowedDoc(1.2), { threshold: 0.1 });
    assert.deepEqual(JSON.parse(JSON.stringify(c)), c);
  });
});
