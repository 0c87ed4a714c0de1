import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { ReportRecord } from "../../src/logs/record.js";
import { recordToJson } from "../../src/logs/record-json.js";

/** What recordToJson wrote before it built strings itself: JSON.stringify of the fields in order. */
function reference(record: ReportRecord): string {
  const out: Record<string, unknown> = {
    requestId: record.requestId,
    durationMs: record.durationMs,
    billedDurationMs: record.billedDurationMs,
    memorySizeMB: record.memorySizeMB,
    maxMemoryUsedMB: record.maxMemoryUsedMB,
  };
  if (record.initDurationMs !== undefined) out.initDurationMs = record.initDurationMs;
  if (record.restoreDurationMs !== undefined) out.restoreDurationMs = record.restoreDurationMs;
  if (record.billedRestoreDurationMs !== undefined) {
    out.billedRestoreDurationMs = record.billedRestoreDurationMs;
  }
  out.status = record.status;
  if (record.errorType !== undefined) out.errorType = record.errorType;
  if (record.xrayTraceId !== undefined) out.xrayTraceId = record.xrayTraceId;
  if (record.xraySegmentId !== undefined) out.xraySegmentId = record.xraySegmentId;
  if (record.xraySampled !== undefined) out.xraySampled = record.xraySampled;
  if (record.extra !== undefined) out.extra = record.extra;
  return JSON.stringify(out);
}

const anyNumber = fc.oneof(
  fc.integer({ min: 0, max: 100_000_000 }).map((n) => n / 100),
  fc.integer({ min: -1000, max: 1000 }).map((n) => n / 10),
  fc.double(),
  fc.constantFrom(
    -0,
    0.1 + 0.2,
    1e21,
    1e-7,
    2 ** 53 + 2,
    99999999999999.98,
    123456789012.34,
    0.005,
  ),
);
const anyText = fc.oneof(
  fc.uuid(),
  fc.string({ unit: "binary" }),
  fc.constantFrom('a"b', "a\\b", "\u007f"),
);

describe("recordToJson", () => {
  it("writes exactly what JSON.stringify writes for the fields in order", () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            requestId: anyText,
            durationMs: anyNumber,
            billedDurationMs: anyNumber,
            memorySizeMB: anyNumber,
            maxMemoryUsedMB: anyNumber,
            initDurationMs: anyNumber,
            restoreDurationMs: anyNumber,
            billedRestoreDurationMs: anyNumber,
            status: fc.constantFrom("success", "error", "failure", "timeout" as const),
            errorType: anyText,
            xrayTraceId: anyText,
            xraySegmentId: anyText,
            xraySampled: fc.boolean(),
            extra: fc.dictionary(anyText, anyText),
          },
          { requiredKeys: ["requestId", "durationMs", "billedDurationMs", "memorySizeMB"] },
        ),
        (generated) => {
          const record = { maxMemoryUsedMB: 1, status: "success", ...generated } as ReportRecord;
          assert.equal(recordToJson(record), reference(record));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
