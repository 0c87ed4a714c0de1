import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { formatPlatformReport, formatReportLine } from "../../src/logs/format.js";
import { createReportParser, parseReportLine } from "../../src/logs/parser.js";
import type { InvocationStatus, ReportRecord } from "../../src/logs/record.js";

const KNOWN_NAMES = new Set(["Duration", "Status", "Sampled", "SegmentId", "RequestId"]);
const twoDecimals = (max: number) => fc.integer({ min: 0, max: max * 100 }).map((n) => n / 100);

const extraArbitrary = fc.dictionary(
  fc.stringMatching(/^[A-Z][a-z]{2,8}( [A-Z][a-z]{2,8})?$/).filter((n) => !KNOWN_NAMES.has(n)),
  fc.stringMatching(/^[a-z0-9][a-z0-9.]{0,10}( [a-z0-9.]{1,5})?$/),
  { minKeys: 1, maxKeys: 3 },
);

function recordArbitrary(withExtra: boolean): fc.Arbitrary<ReportRecord> {
  return fc
    .record(
      {
        requestId: fc.uuid(),
        durationMs: twoDecimals(900_000),
        billedDurationMs: fc.integer({ min: 1, max: 900_000 }),
        memorySizeMB: fc.integer({ min: 128, max: 10_240 }),
        maxMemoryUsedMB: fc.integer({ min: 1, max: 10_400 }),
        status: fc.constantFrom<InvocationStatus>("success", "error", "failure", "timeout"),
        initDurationMs: twoDecimals(10_000),
        restoreDurationMs: twoDecimals(10_000),
        billedRestoreDurationMs: fc.integer({ min: 0, max: 10_000 }),
        errorType: fc.oneof(
          fc.constantFrom("Runtime.OutOfMemory", "Runtime.ExitError", "Sandbox.Timedout"),
          fc.stringMatching(/^[A-Z][A-Za-z]{0,10}\.[A-Z][A-Za-z0-9]{0,12}$/),
        ),
        xrayTraceId: fc.stringMatching(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/),
        xraySegmentId: fc.stringMatching(/^[0-9a-f]{16}$/),
        xraySampled: fc.boolean(),
        extra: withExtra ? extraArbitrary : fc.constant(undefined),
      },
      {
        requiredKeys: [
          "requestId",
          "durationMs",
          "billedDurationMs",
          "memorySizeMB",
          "maxMemoryUsedMB",
          "status",
        ],
      },
    )
    .map((record) => {
      const r = { ...record } as ReportRecord;
      if (r.extra === undefined) delete r.extra;
      else r.extra = { ...r.extra }; // fast-check builds null-prototype dictionaries
      // The formatters write segment and sampling only with a trace id.
      if (r.xrayTraceId === undefined) {
        delete r.xraySegmentId;
        delete r.xraySampled;
      }
      return r;
    });
}

describe("REPORT formatting round-trips through the parser", () => {
  it("text: parse(formatReportLine(r)) equals r", () => {
    fc.assert(
      fc.property(recordArbitrary(true), (record) => {
        assert.deepEqual(parseReportLine(formatReportLine(record)), record);
      }),
      { numRuns: 500 },
    );
  });

  it("text with every tab replaced by a run of spaces, as copies have it", () => {
    fc.assert(
      fc.property(
        recordArbitrary(true),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 20, maxLength: 20 }),
        (record, runs) => {
          let i = 0;
          const copied = formatReportLine(record).replace(/\t/g, () =>
            " ".repeat(runs[i++ % 20] ?? 1),
          );
          assert.deepEqual(parseReportLine(copied), record);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("JSON: parse(formatPlatformReport(r)) equals r", () => {
    fc.assert(
      fc.property(recordArbitrary(false), (record) => {
        const line = formatPlatformReport(record, "2024-03-05T10:00:00.000Z");
        assert.deepEqual(parseReportLine(line), record);
      }),
      { numRuns: 500 },
    );
  });
});

describe("the parser on arbitrary input", () => {
  it("never throws, and gives only records or malformed outcomes, for cut and mangled lines", () => {
    fc.assert(
      fc.property(
        recordArbitrary(true),
        fc.nat(),
        fc.string({ maxLength: 20 }),
        fc.boolean(),
        (record, cut, noise, json) => {
          const full = json
            ? formatPlatformReport(record, "2024-03-05T10:00:00.000Z")
            : formatReportLine(record);
          const at = cut % (full.length + 1);
          const mangled = full.slice(0, at) + noise + full.slice(at + noise.length);
          const parser = createReportParser();
          const outcomes = [...parser.push(mangled, 1), ...parser.end()];
          for (const o of outcomes) assert.ok(o.kind === "record" || o.reason.length > 0);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
