import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UsageError } from "../../src/errors.js";
import { parseTimePoint, parseTimeWindow, parseWindowSpan } from "../../src/logs/time-window.js";

const NOW = Date.parse("2025-06-08T12:00:00Z");

describe("time window", () => {
  it("reads spans back from now and ISO dates (UTC without a zone)", () => {
    assert.equal(parseTimePoint("--since", "30m", NOW), NOW - 30 * 60_000);
    assert.equal(parseTimePoint("--since", "6h", NOW), NOW - 6 * 3_600_000);
    assert.equal(parseTimePoint("--since", "7d", NOW), NOW - 7 * 86_400_000);
    assert.equal(parseTimePoint("--since", "2w", NOW), NOW - 14 * 86_400_000);
    assert.equal(parseTimePoint("--since", "1.5h", NOW), NOW - 5_400_000);
    assert.equal(parseTimePoint("--since", "2025-06-01", NOW), Date.parse("2025-06-01T00:00:00Z"));
    assert.equal(
      parseTimePoint("--since", "2025-06-01T06:30", NOW),
      Date.parse("2025-06-01T06:30:00Z"),
    );
    assert.equal(
      parseTimePoint("--until", "2025-06-01T06:30:00+02:00", NOW),
      Date.parse("2025-06-01T04:30:00Z"),
    );
    assert.equal(parseWindowSpan("--window", "7d"), 7 * 86_400_000);
  });

  it("rejects anything else with exit 2, naming the accepted forms", () => {
    for (const text of ["yesterday", "7", "7y", "0d", "-1d", "2025-13-45", "06/01/2025", ""]) {
      assert.throws(
        () => parseTimePoint("--since", text, NOW),
        (error: unknown) =>
          error instanceof UsageError &&
          error.exitCode === 2 &&
          /30m, 6h, 7d, 2w/.test(error.hint ?? "") &&
          /2025-06-01/.test(error.hint ?? ""),
        text,
      );
    }
    assert.throws(() => parseWindowSpan("--window", "2025-06-01"), UsageError);
  });

  it("defaults --until to now and --since to the default, and wants start before end", () => {
    assert.deepEqual(parseTimeWindow(undefined, undefined, NOW, "24h"), {
      startMs: NOW - 86_400_000,
      endMs: NOW,
    });
    assert.throws(() => parseTimeWindow("1h", "2h", NOW, "24h"), /is not before --until/);
  });
});
