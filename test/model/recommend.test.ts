import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Recommendation } from "../../src/document/result.js";
import { GateError, UsageError } from "../../src/errors.js";
import { OUT_OF_MEMORY } from "../../src/lambda.js";
import type { ReportRecord } from "../../src/logs/record.js";
import type { Pricing } from "../../src/model/pricing.js";
import { type RecommendOptions, recommend } from "../../src/model/recommend.js";
import { buildTiers } from "../../src/model/stats.js";
import { record, records } from "./make-records.js";

// Without the request fee, cost is proportional to memory x billed ms: easy to check by hand.
const NO_FEE: Pricing = {
  pricePerGbSecondUsd: 0.0000166667,
  pricePerRequestUsd: 0,
  source: "test",
};

/** `n` durations alternating mean-spread and mean+spread (whole ms, so billed = duration). */
function around(mean: number, spread: number, n = 10): number[] {
  return Array.from({ length: n }, (_, i) => (i % 2 === 0 ? mean - spread : mean + spread));
}

function run(all: ReportRecord[], options: Partial<RecommendOptions> = {}) {
  return recommend(buildTiers(all, NO_FEE), { strategy: "cost", pricing: NO_FEE, ...options });
}

function recommended(all: ReportRecord[], options: Partial<RecommendOptions> = {}): Recommendation {
  const outcome = run(all, options);
  assert.ok(outcome.recommendation !== null, "expected a recommendation");
  return outcome.recommendation;
}

describe("recommend, warm and cold calls", () => {
  it("never recommends a size measured only cold, however cheap its first call looks", () => {
    // 256 MB x 150 ms = 38,400 looks cheaper than 512 MB x 100 ms = 51,200, but it is one cold call.
    const outcome = run([
      record(256, 150, { initDurationMs: 300, billedDurationMs: 450 }),
      record(512, 180, { initDurationMs: 250, billedDurationMs: 430 }),
      ...records(512, [100, 100, 100]),
    ]);
    assert.equal(outcome.recommendation?.memoryMb, 512);
    assert.equal(outcome.recommendation?.runnerUp, undefined, "a cold-only size is no runner-up");
    const cold = outcome.tiers.find((t) => t.memoryMb === 256);
    assert.match(cold?.excluded ?? "", /no warm call/);
  });

  it("recommends nothing when no size has a warm call, and says what to do", () => {
    const outcome = run([
      record(256, 150, { initDurationMs: 300 }),
      record(512, 100, { initDurationMs: 250 }),
    ]);
    assert.equal(outcome.recommendation, null);
    assert.ok(outcome.recommendation === null);
    assert.match(outcome.reason, /no size has a warm call/);
  });
});

describe("recommend, strategy cost", () => {
  it("picks the cheapest size when the others are clearly dearer", () => {
    // memory x ms: 128x100 = 12800, 256x40 = 10240, 512x30 = 15360.
    const r = recommended([
      ...records(128, around(100, 1)),
      ...records(256, around(40, 1)),
      ...records(512, around(30, 1)),
    ]);
    assert.equal(r.memoryMb, 256);
    assert.equal(r.strategy, "cost");
    assert.equal(r.expectedDurationMs, 40);
    assert.match(r.reason, /^256 MB is the cheapest: \$\S+ per 1M invocations, median 40\.0 ms$/);
    assert.deepEqual(r.band?.sizes, [256]);
    assert.equal(r.runnerUp?.memoryMb, 128);
    assert.ok((r.runnerUp?.costDifference ?? 0) > 0);
  });

  it("lets the faster size win when the cost difference is within noise and at most 1%", () => {
    // Deliberately changed from 5%: 256x40 = 10240 vs 512x21 = 10752 is 5% dearer and within
    // the noise, but the cheaper keeps it; at equal cost (512x20) the faster wins.
    const dearer = [...records(256, around(40, 20)), ...records(512, around(20.5, 10))];
    assert.equal(recommended(dearer).memoryMb, 256);
    const all = [...records(256, around(40, 20)), ...records(512, around(20, 10))];
    assert.equal(recommended(all).memoryMb, 512);
  });

  it("keeps the cheaper size when a wide noise band would tie a size 10% dearer", () => {
    // 256x40 = 10240 vs 512x22 = 11264: 10% dearer; the spread alone would call it a tie.
    const all = [...records(256, around(40, 30)), ...records(512, around(22, 15))];
    assert.equal(recommended(all).memoryMb, 256);
  });

  it("keeps the cheaper size when the same difference is beyond the noise", () => {
    const all = [...records(256, around(40, 1)), ...records(512, around(21, 1))];
    assert.equal(recommended(all).memoryMb, 256);
  });

  it("treats exactly equal costs as tied and takes the faster", () => {
    const all = [...records(256, around(40, 0)), ...records(512, around(20, 0))];
    const r = recommended(all);
    assert.equal(r.memoryMb, 512);
  });

  it("never recommends a size with errors, timeouts or out-of-memory, and marks it", () => {
    const all = [
      ...records(128, around(60, 1)),
      record(128, 70, { status: "error", errorType: OUT_OF_MEMORY }),
      ...records(256, around(31, 1)),
      record(256, 3000, { status: "timeout" }),
      ...records(512, around(20, 1)),
    ];
    const outcome = run(all);
    assert.equal(outcome.recommendation?.memoryMb, 512);
    const excluded = Object.fromEntries(outcome.tiers.map((t) => [t.memoryMb, t.excluded]));
    assert.match(excluded[128] ?? "", /out of memory/);
    assert.match(excluded[256] ?? "", /timed out/);
    assert.equal(excluded[512], undefined);
  });

  it("returns no recommendation, with a reason, when every size failed", () => {
    const outcome = run([
      record(128, 70, { status: "error", errorType: OUT_OF_MEMORY }),
      record(256, 3000, { status: "timeout" }),
    ]);
    assert.equal(outcome.recommendation, null);
    assert.ok(outcome.recommendation === null);
    assert.match(outcome.reason, /every measured size had failed invocations/);
    assert.match(outcome.reason, /128 MB: 1 of 1 invocations failed \(1 out of memory\)/);
  });

  it("warns when the cheapest is at the edge of the measured range", () => {
    const r = recommended([...records(512, around(10, 1)), ...records(1024, around(9, 1))]);
    assert.equal(r.memoryMb, 512);
    assert.ok(r.warnings.some((w) => /smallest size measured/.test(w)));
  });

  it("passes the tier's headroom warning on", () => {
    const r = recommended([
      ...records(128, around(50, 1)).map((x) => ({ ...x, maxMemoryUsedMB: 120 })),
      ...records(256, around(50, 1)),
    ]);
    assert.equal(r.memoryMb, 128);
    assert.ok(r.warnings.some((w) => /Max Memory Used 120 MB/.test(w)));
  });
});

describe("recommend, the equivalence band", () => {
  // memory x ms: 128x1000 = 256x500 = 128,000; 512x252 = 129,024 (+0.8%); 1024x130 = 133,120 (+4%).
  const flat = [
    ...records(128, around(1000, 2)),
    ...records(256, around(500, 1)),
    ...records(512, around(252, 1)),
    ...records(1024, around(130, 1)),
  ];

  it("states the sizes within the tie tolerance of the cheapest; the fastest of them wins", () => {
    const r = recommended(flat);
    assert.equal(r.memoryMb, 512);
    assert.deepEqual(r.band, {
      tolerance: 0.02,
      cheapestMemoryMb: 256, // as cheap as 128 MB, and faster
      sizes: [128, 256, 512],
      resolution: r.band?.resolution,
    });
    assert.ok((r.band?.resolution ?? 1) < 0.02, `resolution ${r.band?.resolution}`);
    assert.match(
      r.reason,
      /^128-512 MB cost the same within 2%; 512 MB is the fastest of them \(4x faster than 128 MB\): \$\S+ per 1M invocations, median 252 ms$/,
    );
  });

  it("follows --tie-tolerance: 0 keeps the cheapest, 5% takes in 1024 MB", () => {
    const exact = recommended(flat, { tieTolerance: 0 });
    assert.deepEqual(exact.band?.sizes, [128, 256]);
    assert.equal(exact.memoryMb, 256, "the faster of two equally cheap sizes");
    const wide = recommended(flat, { tieTolerance: 0.05 });
    assert.equal(wide.memoryMb, 1024);
    assert.match(
      wide.reason,
      /^128-1,024 MB cost the same within 5%; 1,024 MB is the fastest of them \(7\.7x faster than 128 MB\)/,
    );
  });

  it("lists the band when a size inside its range is not in it", () => {
    const gap = [...flat, ...records(384, around(350, 1))]; // 384x350 = 134,400: +5%
    assert.match(recommended(gap).reason, /^128, 256 and 512 MB cost the same within 2%/);
  });

  it("widens the band by the noise, and picks only what is measured within the tolerance", () => {
    // 1024 MB is 2.4% dearer: within 2% as far as 3 noisy calls can tell, so in the band,
    // but not clearly, so not picked, and named.
    const thin = [
      ...records(128, [990, 1000, 1010]),
      ...records(256, [495, 500, 505]),
      ...records(512, [248, 250, 252]),
      ...records(1024, [122, 128, 134]),
    ];
    const r = recommended(thin);
    assert.deepEqual(r.band?.sizes, [128, 256, 512, 1024]);
    assert.equal(r.memoryMb, 512);
    assert.match(
      r.reason,
      /^128-1,024 MB may cost the same within 2%; 512 MB is the fastest of them measured within 2% \(4x faster than 128 MB; 1,024 MB is faster but may be over 2% dearer\)/,
    );
  });

  it("names several faster sizes in the band only by noise as a range", () => {
    const thin = [
      ...records(128, [990, 1000, 1010]),
      ...records(256, [495, 500, 505]),
      ...records(512, [248, 250, 252]),
      ...records(1024, [122, 128, 134]),
      ...records(1536, [81, 86, 90]),
    ];
    const r = recommended(thin);
    assert.equal(r.memoryMb, 512);
    assert.match(
      r.reason,
      /\(4x faster than 128 MB; 1,024-1,536 MB \(2 sizes\) are faster but may be over 2% dearer\)/,
    );
  });

  it("says how many calls would narrow a band that thin evidence widens", () => {
    const noisy = [
      ...records(256, [400, 600, 500]),
      ...records(512, [200, 300, 260]),
      ...records(1024, [100, 150, 131]),
    ];
    const r = recommended(noisy, { moreCalls: (perSize) => `-n ${perSize}` });
    assert.ok((r.band?.resolution ?? 0) > 0.02);
    assert.match(
      r.reason,
      /costs are known to ±\d+% from 3 warm calls per size; -n \d+ would tell sizes 2% apart/,
    );
    assert.equal(r.band?.advice, r.reason.slice(r.reason.indexOf("costs are known")));
  });

  it("refuses a tie tolerance below 0 or above 50%", () => {
    assert.throws(() => run(flat, { tieTolerance: -0.01 }), UsageError);
    assert.throws(() => run(flat, { tieTolerance: 0.51 }), UsageError);
  });
});

describe("recommend, production cold starts", () => {
  // Warm: 128 MB x 100 ms = 12,800 beats 1,024 MB x 13 ms = 13,312 (4% dearer). Cold: 128 MB
  // inits slowly (3,000 ms), so 128 x 3,100 = 396,800 against 1,024 x 215 = 220,160.
  const sweep = [
    record(128, 100, { initDurationMs: 3000, billedDurationMs: 3100 }),
    ...records(128, around(100, 1)),
    record(1024, 15, { initDurationMs: 200, billedDurationMs: 215 }),
    ...records(1024, around(13, 0)),
  ];

  it("weighs each size as (1 - r) x warm + r x cold, and says the rate moved the pick", () => {
    assert.equal(recommended(sweep).memoryMb, 128);
    const outcome = run(sweep, { coldStartRate: 0.01 });
    const rec = outcome.recommendation!;
    assert.equal(rec.memoryMb, 1024);
    assert.deepEqual(rec.coldStarts, {
      rate: 0.01,
      source: "--cold-start-rate",
      billInit: true,
      steadyStateMemoryMb: 128,
      changesPick: true,
    });
    const at128 = outcome.tiers.find((t) => t.memoryMb === 128)!;
    const expected = 0.99 * at128.costPerInvocationUsd + 0.01 * at128.coldCostPerInvocationUsd!;
    assert.ok(Math.abs(at128.productionCostPerInvocationUsd! - expected) < 1e-15);
    assert.equal(
      rec.expectedCostPerInvocationUsd,
      outcome.tiers[1]!.productionCostPerInvocationUsd,
    );
  });

  it("keeps the pick below the rate where it turns, and says so", () => {
    const rec = recommended(sweep, { coldStartRate: 0.001 });
    assert.equal(rec.memoryMb, 128);
    assert.equal(rec.coldStarts?.changesPick, false);
  });

  it("bills Init only when asked: under the old rule the slow init costs nothing", () => {
    const old = recommend(buildTiers(sweep, NO_FEE, { billInit: false }), {
      strategy: "cost",
      pricing: NO_FEE,
      coldStartRate: 0.01,
      billInit: false,
    }).recommendation!;
    assert.equal(old.memoryMb, 128);
    assert.equal(old.coldStarts?.billInit, false);
  });

  it("cannot cost a size without a cold call at a rate, and says why", () => {
    const outcome = run([...sweep, ...records(512, around(25, 0))], { coldStartRate: 0.01 });
    const at512 = outcome.tiers.find((t) => t.memoryMb === 512)!;
    assert.match(at512.excluded ?? "", /no cold call measured here.*1% cold-start rate/);
  });

  it("refuses a rate outside 0..100%", () => {
    assert.throws(() => run(sweep, { coldStartRate: -0.01 }), UsageError);
    assert.throws(() => run(sweep, { coldStartRate: 1.01 }), UsageError);
  });
});

describe("recommend, strategies speed and balanced", () => {
  const sweep = [
    ...records(256, around(40, 1)), // 10240
    ...records(512, around(21, 1)), // 10752, +5%
    ...records(1024, around(12, 1)), // 12288, +20%
    ...records(2048, around(10, 1)), // 20480, +100%
  ];

  it("speed picks the fastest median", () => {
    const r = recommended(sweep, { strategy: "speed" });
    assert.equal(r.memoryMb, 2048);
    assert.match(r.reason, /^2,048 MB is the fastest: \$\S+ per 1M invocations, median 10\.0 ms/);
  });

  it("speed gives a tie within noise to the cheaper size", () => {
    const noisy = [...records(1024, around(10, 6)), ...records(2048, around(9, 6))];
    const r = recommended(noisy, { strategy: "speed" });
    assert.equal(r.memoryMb, 1024);
    assert.match(r.reason, /as fast as the fastest, 2,048 MB \(9 ms\), within measurement noise/);
  });

  it("balanced picks the fastest size within 10% of the cheapest, and says so", () => {
    const r = recommended(sweep, { strategy: "balanced" });
    assert.equal(r.memoryMb, 512);
    assert.match(r.reason, /fastest size within 10% of the cheapest cost \(256 MB\)/);
    assert.match(r.reason, /5% dearer, 1\.9x faster/);
  });

  it("balanced follows its tolerance", () => {
    assert.equal(
      recommended(sweep, { strategy: "balanced", balancedTolerance: 0.25 }).memoryMb,
      1024,
    );
    assert.equal(recommended(sweep, { strategy: "balanced", balancedTolerance: 0 }).memoryMb, 256);
  });

  it("rejects a negative tolerance and an unknown strategy", () => {
    assert.throws(() => run(sweep, { strategy: "balanced", balancedTolerance: -1 }), UsageError);
    assert.throws(() => run(sweep, { strategy: "cheapest" as never }), UsageError);
    assert.throws(() => run(sweep, { strategy: "toString" as never }), UsageError);
  });
});

describe("recommend, p95 limit", () => {
  const sweep = [
    ...records(256, [40, 40, 40, 40, 40, 40, 40, 40, 40, 80]), // p95 62
    ...records(512, [21, 21, 21, 21, 21, 21, 21, 21, 21, 30]), // p95 25.95
    ...records(1024, around(12, 1)), // p95 13
  ];

  it("excludes sizes over the limit and recommends among the rest", () => {
    const outcome = run(sweep, { maxP95Ms: 50 });
    assert.notEqual(outcome.recommendation?.memoryMb, 256);
    const tier256 = outcome.tiers.find((t) => t.memoryMb === 256);
    assert.match(tier256?.excluded ?? "", /p95 62\.0 ms exceeds the limit of 50\.0 ms/);
  });

  it("throws GateError naming the closest size and its p95 when none meets it", () => {
    assert.throws(
      () => run(sweep, { maxP95Ms: 5 }),
      (error: unknown) => {
        assert.ok(error instanceof GateError);
        assert.equal(error.exitCode, 3);
        assert.match(error.message, /closest is 1024 MB with p95 13\.0 ms/);
        assert.ok(error.hint !== undefined);
        return true;
      },
    );
  });
});

describe("recommend, timeout", () => {
  // Deliberately changed: a 95% upper bound on the p99.9 duration plus the longest init replaces
  // 1.5 x (max or p99 + init); a bound from three calls must be wider than their max.
  it("bounds the p99.9 duration above the max of a few calls, plus the max init", () => {
    const all = [...records(512, [1000, 1200, 900]), record(512, 1100, { initDurationMs: 800 })];
    const r = recommended(all, { currentTimeoutSeconds: 3 });
    assert.equal(r.timeoutSeconds, 4);
    assert.match(r.timeoutReason, /p99\.9 duration ≤ [\d,]+ ms \(95% bound from 3 calls/);
    assert.match(r.timeoutReason, /\+ max init 800 ms/);
    assert.match(r.timeoutReason, /current 3 s leaves less headroom/);
  });

  it("covers a heavy tail the p99 hides, and init seen at another size", () => {
    // 2 of 200 calls take 10 s: a timeout from the p99 (1090 ms) would fail 1% of calls.
    const durations = Array.from({ length: 200 }, (_, i) => (i >= 198 ? 10_000 : 1000));
    const all = [
      ...records(1024, durations),
      ...records(128, [9000, 9000]),
      record(128, 9000, { initDurationMs: 500 }),
    ];
    const r = recommended(all, { currentTimeoutSeconds: 60 });
    assert.equal(r.memoryMb, 1024);
    assert.ok(r.timeoutSeconds > 10 && r.timeoutSeconds < 20, `${r.timeoutSeconds}`);
    assert.match(r.timeoutReason, /\+ max init 500 ms seen at other sizes/);
    assert.match(r.timeoutReason, /current 60 s is longer than needed/);
  });

  it("warns when the current timeout is below the measured tail", () => {
    const r = recommended(records(256, [2500, 2600]), { currentTimeoutSeconds: 2 });
    assert.ok(r.timeoutSeconds > 3, `${r.timeoutSeconds}`);
    assert.match(r.timeoutReason, /current 2 s leaves less headroom/);
    assert.ok(r.warnings.some((w) => /current timeout 2 s is shorter than the measured/.test(w)));
  });

  it("stays within 1..900 seconds", () => {
    assert.equal(recommended(records(256, [0.4, 0.6])).timeoutSeconds, 1);
    const slow = recommended(records(256, [700_000]));
    assert.equal(slow.timeoutSeconds, 900);
    assert.ok(slow.warnings.some((w) => /900 s maximum/.test(w)));
  });
});
