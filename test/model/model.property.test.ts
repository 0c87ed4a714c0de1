import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { GateError } from "../../src/errors.js";
import { OUT_OF_MEMORY } from "../../src/lambda.js";
import type { InvocationStatus, ReportRecord } from "../../src/logs/record.js";
import { costForDuration, costOfBilledDuration } from "../../src/model/cost.js";
import { fitDurationCurve } from "../../src/model/fit.js";
import { recommend } from "../../src/model/recommend.js";
import { buildTiers, summarize } from "../../src/model/stats.js";
import { US_EAST_1_X86 } from "./make-records.js";

const memory = fc.integer({ min: 128, max: 10240 });
const billed = fc.integer({ min: 1, max: 900_000 });

const recordArbitrary: fc.Arbitrary<ReportRecord> = fc
  .record({
    requestId: fc.uuid(),
    memorySizeMB: fc.constantFrom(128, 256, 512, 1024, 1769, 3008),
    durationMs: fc.double({ min: 0.5, max: 200_000, noNaN: true }),
    initDurationMs: fc.option(fc.double({ min: 1, max: 10_000, noNaN: true }), { nil: undefined }),
    maxMemoryUsedMB: fc.integer({ min: 20, max: 3100 }),
    outcome: fc.constantFrom("success", "success", "success", "success", "timeout", "error", "oom"),
  })
  .map(({ outcome, durationMs, initDurationMs, ...rest }) => {
    const status: InvocationStatus = outcome === "oom" ? "error" : (outcome as InvocationStatus);
    return {
      durationMs,
      billedDurationMs: Math.ceil(durationMs + (initDurationMs ?? 0)),
      status,
      ...(initDurationMs === undefined ? {} : { initDurationMs }),
      ...(outcome === "oom" ? { errorType: OUT_OF_MEMORY } : {}),
      ...rest,
    };
  });

describe("model properties", () => {
  it("cost grows with billed duration and with memory", () => {
    fc.assert(
      fc.property(memory, memory, billed, billed, (m1, m2, b1, b2) => {
        const [mLow, mHigh] = m1 <= m2 ? [m1, m2] : [m2, m1];
        const [bLow, bHigh] = b1 <= b2 ? [b1, b2] : [b2, b1];
        const low = costOfBilledDuration(mLow, bLow, US_EAST_1_X86);
        assert.ok(low <= costOfBilledDuration(mHigh, bLow, US_EAST_1_X86));
        assert.ok(low <= costOfBilledDuration(mLow, bHigh, US_EAST_1_X86));
        assert.ok(low <= costOfBilledDuration(mHigh, bHigh, US_EAST_1_X86));
      }),
    );
  });

  it("cost of a bare duration never falls as the duration grows", () => {
    fc.assert(
      fc.property(
        memory,
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (m, d1, d2) => {
          const [low, high] = d1 <= d2 ? [d1, d2] : [d2, d1];
          assert.ok(
            costForDuration(m, low, US_EAST_1_X86) <= costForDuration(m, high, US_EAST_1_X86),
          );
        },
      ),
    );
  });

  it("summaries are ordered: min <= median <= p90 <= p95 <= p99 <= max", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1 }),
        (values) => {
          const d = summarize(values);
          const chain = [d.min, d.median, d.p90, d.p95, d.p99, d.max];
          for (let i = 1; i < chain.length; i++) assert.ok(chain[i - 1]! <= chain[i]!, `${chain}`);
          assert.ok(d.min <= d.mean + 1e-6 && d.mean <= d.max + 1e-6);
          assert.ok(d.stdDev >= 0);
        },
      ),
    );
  });

  it("recommends a measured size without failures, with a whole-second timeout in 1..900", () => {
    fc.assert(
      fc.property(
        fc.array(recordArbitrary, { minLength: 1, maxLength: 60 }),
        fc.constantFrom("cost", "speed", "balanced" as const),
        fc.option(fc.double({ min: 1, max: 300_000, noNaN: true }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 900 }), { nil: undefined }),
        (records, strategy, maxP95Ms, currentTimeoutSeconds) => {
          const tiers = buildTiers(records, US_EAST_1_X86);
          let outcome: ReturnType<typeof recommend>;
          try {
            outcome = recommend(tiers, {
              strategy,
              pricing: US_EAST_1_X86,
              ...(maxP95Ms === undefined ? {} : { maxP95Ms }),
              ...(currentTimeoutSeconds === undefined ? {} : { currentTimeoutSeconds }),
            });
          } catch (error) {
            assert.ok(error instanceof GateError, String(error));
            assert.ok(maxP95Ms !== undefined);
            return;
          }
          const { recommendation } = outcome;
          if (recommendation === null) {
            assert.ok(tiers.every((t) => t.errors > 0 || t.warmInvocations === 0));
            return;
          }
          const chosen = outcome.tiers.find((t) => t.memoryMb === recommendation.memoryMb);
          assert.ok(chosen !== undefined, "recommended size was not measured");
          assert.equal(chosen.excluded, undefined);
          assert.equal(chosen.errors + chosen.timeouts + chosen.outOfMemory, 0);
          assert.ok(chosen.warmInvocations > 0, "recommended from cold calls alone");
          if (maxP95Ms !== undefined) assert.ok(chosen.durationMs.p95 <= maxP95Ms);
          const { timeoutSeconds } = recommendation;
          assert.ok(Number.isInteger(timeoutSeconds), `${timeoutSeconds}`);
          assert.ok(timeoutSeconds >= 1 && timeoutSeconds <= 900, `${timeoutSeconds}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("fitting positive medians never throws and reports finite held-out errors", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 128, max: 10240 }), { minLength: 3, maxLength: 12 }),
        fc.array(fc.double({ min: 0.5, max: 100_000, noNaN: true }), {
          minLength: 12,
          maxLength: 12,
        }),
        (sizes, durations) => {
          const points = sizes.map((memoryMb, i) => ({ memoryMb, durationMs: durations[i]! }));
          const { fit } = fitDurationCurve(points);
          if (fit === null) return;
          assert.ok(Number.isFinite(fit.error) && fit.error >= 0);
          for (const c of fit.candidates)
            assert.ok(Number.isFinite(c.error) && fit.error <= c.error);
          for (const value of Object.values(fit.parameters)) assert.ok(Number.isFinite(value));
        },
      ),
      { numRuns: 100 },
    );
  });
});
