import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  createReportParser,
  type ParseOutcome,
  parseLogTail,
  parseReportLine,
} from "../../src/logs/parser.js";
import type { ReportRecord } from "../../src/logs/record.js";

function parseAll(text: string): ParseOutcome[] {
  const parser = createReportParser();
  const outcomes: ParseOutcome[] = [];
  text.split("\n").forEach((line, i) => {
    outcomes.push(...parser.push(line, i + 1));
  });
  outcomes.push(...parser.end());
  return outcomes;
}

function records(text: string): { line: number; record: ReportRecord }[] {
  return parseAll(text).map((o) => {
    assert.equal(o.kind, "record", JSON.stringify(o));
    return { line: o.line, record: (o as { record: ReportRecord }).record };
  });
}

const base = { status: "success" } as const;

describe("text REPORT lines (fixtures/reports/variants.log)", () => {
  const parsed = records(readFileSync("fixtures/reports/variants.log", "utf8"));
  const byLine = new Map(parsed.map((p) => [p.line, p.record]));

  it("finds every REPORT record and skips INIT_START, START, END, INIT_REPORT and app lines", () => {
    assert.deepEqual(
      parsed.map((p) => p.line),
      [5, 8, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20, 22, 23, 25],
    );
  });

  const cases: [string, number, ReportRecord][] = [
    [
      "cold start with Init Duration billed since 2025",
      5,
      {
        ...base,
        requestId: "6f7f0961-0a2c-4c6a-9d4b-7e1f3a2b5c01",
        durationMs: 12.68,
        billedDurationMs: 309,
        memorySizeMB: 128,
        maxMemoryUsedMB: 67,
        initDurationMs: 295.33,
      },
    ],
    [
      "warm start, tabs and a trailing tab",
      8,
      {
        ...base,
        requestId: "0b1c2d3e-4f50-4a61-8b72-93a4b5c6d702",
        durationMs: 2.85,
        billedDurationMs: 3,
        memorySizeMB: 128,
        maxMemoryUsedMB: 68,
      },
    ],
    [
      "tabs turned into runs of spaces",
      9,
      {
        ...base,
        requestId: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c03",
        durationMs: 101.27,
        billedDurationMs: 102,
        memorySizeMB: 512,
        maxMemoryUsedMB: 88,
      },
    ],
    [
      "a space before the tab",
      10,
      {
        ...base,
        requestId: "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d04",
        durationMs: 26.43,
        billedDurationMs: 27,
        memorySizeMB: 256,
        maxMemoryUsedMB: 75,
      },
    ],
    [
      "old RIE: no tab before Memory Size",
      11,
      {
        ...base,
        requestId: "3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e05",
        durationMs: 312.56,
        billedDurationMs: 400,
        memorySizeMB: 3008,
        maxMemoryUsedMB: 3008,
        initDurationMs: 0.34,
      },
    ],
    [
      "RIE: Init Duration before Duration",
      12,
      {
        ...base,
        requestId: "4d5e6f7a-8b9c-4d0e-9f1a-3b4c5d6e7f06",
        durationMs: 7.91,
        billedDurationMs: 8,
        memorySizeMB: 3008,
        maxMemoryUsedMB: 3008,
        initDurationMs: 181.02,
      },
    ],
    [
      "SnapStart restore durations",
      13,
      {
        ...base,
        requestId: "5e6f7a8b-9c0d-4e1f-8a2b-4c5d6e7f8a07",
        durationMs: 44.19,
        billedDurationMs: 273,
        memorySizeMB: 1024,
        maxMemoryUsedMB: 151,
        restoreDurationMs: 339.26,
        billedRestoreDurationMs: 228,
      },
    ],
    [
      "Status: timeout",
      16,
      {
        requestId: "6a7b8c9d-0e1f-4a2b-9c3d-5e6f7a8b9c08",
        durationMs: 3000,
        billedDurationMs: 3000,
        memorySizeMB: 128,
        maxMemoryUsedMB: 91,
        status: "timeout",
      },
    ],
    [
      "out of memory, Max Memory Used above Memory Size",
      17,
      {
        requestId: "7b8c9d0e-1f2a-4b3c-8d4e-6f7a8b9c0d09",
        durationMs: 1893.55,
        billedDurationMs: 1894,
        memorySizeMB: 128,
        maxMemoryUsedMB: 129,
        status: "error",
        errorType: "Runtime.OutOfMemory",
      },
    ],
    [
      "another error type",
      18,
      {
        requestId: "8c9d0e1f-2a3b-4c4d-9e5f-7a8b9c0d1e10",
        durationMs: 15.02,
        billedDurationMs: 16,
        memorySizeMB: 256,
        maxMemoryUsedMB: 70,
        status: "error",
        errorType: "Runtime.ExitError",
      },
    ],
    [
      "X-Ray on the same line",
      19,
      {
        ...base,
        requestId: "9d0e1f2a-3b4c-4d5e-8f6a-8b9c0d1e2f11",
        durationMs: 5.43,
        billedDurationMs: 6,
        memorySizeMB: 128,
        maxMemoryUsedMB: 71,
        xrayTraceId: "1-65e6f1a0-3b2c1d0e9f8a7b6c5d4e3f2a",
        xraySegmentId: "4a5b6c7d8e9f0a1b",
        xraySampled: true,
      },
    ],
    [
      "X-Ray on the next line",
      20,
      {
        ...base,
        requestId: "0e1f2a3b-4c5d-4e6f-9a7b-9c0d1e2f3a12",
        durationMs: 8.1,
        billedDurationMs: 9,
        memorySizeMB: 128,
        maxMemoryUsedMB: 72,
        xrayTraceId: "1-65e6f1a1-4c3d2e1f0a9b8c7d6e5f4a3b",
        xraySegmentId: "5b6c7d8e9f0a1b2c",
        xraySampled: false,
      },
    ],
    [
      "aws logs tail prefix before REPORT",
      22,
      {
        ...base,
        requestId: "1f2a3b4c-5d6e-4f7a-8b8c-0d1e2f3a4b13",
        durationMs: 19.99,
        billedDurationMs: 20,
        memorySizeMB: 1769,
        maxMemoryUsedMB: 99,
      },
    ],
    [
      "an unknown field kept in extra",
      23,
      {
        ...base,
        requestId: "2a3b4c5d-6e7f-4a8b-9c9d-1e2f3a4b5c14",
        durationMs: 3.21,
        billedDurationMs: 4,
        memorySizeMB: 128,
        maxMemoryUsedMB: 66,
        extra: { "Shutdown Reason": "spindown" },
      },
    ],
    [
      "timestamp prefix, X-Ray next line with the same prefix",
      25,
      {
        ...base,
        requestId: "3b4c5d6e-7f8a-4b9c-8d0e-2f3a4b5c6d15",
        durationMs: 250,
        billedDurationMs: 250,
        memorySizeMB: 10240,
        maxMemoryUsedMB: 1203,
        initDurationMs: 1234.56,
        xrayTraceId: "1-65e6f1a2-5d4e3f2a1b0c9d8e7f6a5b4c",
        xraySegmentId: "6c7d8e9f0a1b2c3d",
        xraySampled: true,
      },
    ],
  ];
  for (const [name, line, expected] of cases) {
    it(name, () => assert.deepEqual(byLine.get(line), expected));
  }
});

describe("JSON platform.report events (fixtures/reports/variants-json.log)", () => {
  const parsed = records(readFileSync("fixtures/reports/variants-json.log", "utf8"));
  const byLine = new Map(parsed.map((p) => [p.line, p.record]));

  it("reads only platform.report events, not platform.start, runtimeDone or app logs", () => {
    assert.deepEqual(
      parsed.map((p) => p.line),
      [5, 6, 7, 8, 9, 10],
    );
  });
  it("cold start with initDurationMs", () => {
    assert.deepEqual(byLine.get(5), {
      ...base,
      requestId: "6f7f0961-0a2c-4c6a-9d4b-7e1f3a2b5c01",
      durationMs: 1233.96,
      billedDurationMs: 1698,
      memorySizeMB: 256,
      maxMemoryUsedMB: 123,
      initDurationMs: 463.512,
    });
  });
  it("warm start in another key order without status means success", () => {
    assert.deepEqual(byLine.get(6), {
      ...base,
      requestId: "0b1c2d3e-4f50-4a61-8b72-93a4b5c6d702",
      durationMs: 2.85,
      billedDurationMs: 3,
      memorySizeMB: 128,
      maxMemoryUsedMB: 68,
    });
  });
  it("timeout, out of memory, failure after a CloudWatch prefix", () => {
    assert.equal(byLine.get(7)?.status, "timeout");
    assert.deepEqual(
      [byLine.get(8)?.status, byLine.get(8)?.errorType, byLine.get(8)?.maxMemoryUsedMB],
      ["error", "Runtime.OutOfMemory", 129],
    );
    assert.deepEqual(
      [byLine.get(10)?.status, byLine.get(10)?.errorType],
      ["failure", "Runtime.ExitError"],
    );
  });
  it("SnapStart and the tracing header", () => {
    assert.deepEqual(byLine.get(9), {
      ...base,
      requestId: "5e6f7a8b-9c0d-4e1f-8a2b-4c5d6e7f8a07",
      durationMs: 44.187,
      billedDurationMs: 273,
      memorySizeMB: 1024,
      maxMemoryUsedMB: 151,
      restoreDurationMs: 339.262,
      billedRestoreDurationMs: 228,
      xrayTraceId: "1-65e6f1a0-3b2c1d0e9f8a7b6c5d4e3f2a",
      xraySegmentId: "4a5b6c7d8e9f0a1b",
      xraySampled: true,
    });
  });
});

describe("malformed REPORT lines", () => {
  const good =
    "REPORT RequestId: a1\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t";
  const cases: [string, string, string][] = [
    [
      "missing Duration",
      "REPORT RequestId: b2\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB",
      "missing Duration",
    ],
    [
      "bad number",
      "REPORT RequestId: b2\tDuration: abc ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB",
      'Duration is not a number: "abc"',
    ],
    [
      "a dot without decimals",
      "REPORT RequestId: b2\tDuration: 1. ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB",
      'Duration is not a number: "1."',
    ],
    [
      "wrong unit",
      "REPORT RequestId: b2\tDuration: 1.5 ms\tBilled Duration: 2 ms\tMemory Size: 128 ms\tMax Memory Used: 60 MB",
      'Memory Size has no unit "MB"',
    ],
    [
      "unknown status",
      "REPORT RequestId: b2\tDuration: 1.5 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tStatus: exploded",
      'unknown Status "exploded" (expected success, error, failure or timeout)',
    ],
    [
      "truncated line",
      "REPORT RequestId: b2\tDuration: 1.5 ms\tBilled Dura",
      'unexpected text "Billed Dura"',
    ],
    [
      "no request id",
      "REPORT RequestId: \tDuration: 1.5 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB",
      "RequestId has no value",
    ],
    [
      "invalid JSON",
      '{"time":"t","type":"platform.report","record":{"requestId":"x","metrics":{',
      "platform.report event is not valid JSON",
    ],
    [
      "JSON without durationMs",
      '{"type":"platform.report","record":{"requestId":"x","metrics":{"billedDurationMs":2,"memorySizeMB":128,"maxMemoryUsedMB":60}}}',
      "missing metrics.durationMs",
    ],
    [
      "JSON with a string number",
      '{"type":"platform.report","record":{"requestId":"x","metrics":{"durationMs":"1.5","billedDurationMs":2,"memorySizeMB":128,"maxMemoryUsedMB":60}}}',
      'metrics.durationMs is not a number: "1.5"',
    ],
    [
      "JSON unknown status",
      '{"type":"platform.report","record":{"requestId":"x","metrics":{"durationMs":1.5,"billedDurationMs":2,"memorySizeMB":128,"maxMemoryUsedMB":60},"status":"odd"}}',
      'unknown status "odd" (expected success, error, failure or timeout)',
    ],
    ["JSON without record", '{"type":"platform.report"}', "platform.report has no record object"],
  ];
  for (const [name, line, reason] of cases) {
    it(`${name}, between good lines, names the reason and the line`, () => {
      const outcomes = parseAll(
        [good, "START RequestId: b2 Version: $LATEST", line, good].join("\n"),
      );
      assert.deepEqual(
        outcomes.map((o) => (o.kind === "record" ? `record ${o.line}` : `${o.line}: ${o.reason}`)),
        ["record 1", `3: ${reason}`, "record 4"],
      );
      const malformed = outcomes[1];
      assert.equal(malformed?.kind === "malformed" && malformed.text, line);
    });
  }

  it("a malformed X-Ray line after a REPORT line keeps the record and reports the X-Ray line", () => {
    const outcomes = parseAll(`${good}\nXRAY TraceId: 1-abc\tSampled: maybe`);
    assert.deepEqual(
      outcomes.map((o) => (o.kind === "record" ? `record ${o.line}` : `${o.line}: ${o.reason}`)),
      ["record 1", '2: Sampled is not true or false: "maybe"'],
    );
  });

  it("does not take quoted or INIT_REPORT mentions for records", () => {
    const lines = [
      "INIT_REPORT Init Duration: 3.00 ms\tPhase: init\tStatus: error\tError Type: Runtime.Unknown",
      '2024-01-01T00:00:00Z\tid\tINFO\tparsed "REPORT RequestId: x Duration: 1 ms"',
      '{"level":"INFO","message":"type platform.report seen"}',
      "XRAY TraceId: 1-abc\tSegmentId: 12\tSampled: true",
    ];
    assert.deepEqual(parseAll(lines.join("\n")), []);
  });
});

describe("parseReportLine and parseLogTail", () => {
  const tail = [
    "ory Used: 60 MB\t",
    "START RequestId: c3 Version: 7",
    "END RequestId: c3",
    "REPORT RequestId: c3\tDuration: 10.00 ms\tBilled Duration: 10 ms\tMemory Size: 512 MB\tMax Memory Used: 70 MB\t",
    "START RequestId: d4 Version: 7",
    "END RequestId: d4",
    "REPORT RequestId: d4\tDuration: 20.00 ms\tBilled Duration: 20 ms\tMemory Size: 512 MB\tMax Memory Used: 71 MB\t",
    "XRAY TraceId: 1-6\tSegmentId: 7\tSampled: true\t",
    "",
  ].join("\r\n");

  it("parseLogTail returns the last record, with the X-Ray line after it, across CRLF", () => {
    assert.deepEqual(parseLogTail(tail), {
      ...base,
      requestId: "d4",
      durationMs: 20,
      billedDurationMs: 20,
      memorySizeMB: 512,
      maxMemoryUsedMB: 71,
      xrayTraceId: "1-6",
      xraySegmentId: "7",
      xraySampled: true,
    });
  });
  it("parseLogTail gives undefined for a tail without a REPORT line", () => {
    assert.equal(parseLogTail("START RequestId: e5 Version: 1\nEND RequestId: e5\n"), undefined);
  });
  it("parseReportLine reads one line, text or JSON, and rejects malformed ones", () => {
    assert.equal(parseReportLine(tail.split("\r\n")[3] as string)?.requestId, "c3");
    assert.equal(
      parseReportLine(
        '{"type":"platform.report","record":{"requestId":"j","metrics":{"durationMs":1,"billedDurationMs":1,"memorySizeMB":128,"maxMemoryUsedMB":9}}}',
      )?.maxMemoryUsedMB,
      9,
    );
    assert.equal(parseReportLine("REPORT RequestId: x\tDuration: 1 ms"), undefined);
  });
});
