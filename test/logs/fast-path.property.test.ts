import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import fc from "fast-check";
import { formatPlatformReport, formatReportLine } from "../../src/logs/format.js";
import { findJsonReport, parseJsonReport } from "../../src/logs/parse-json.js";
import { findTextReport, parseTextReport } from "../../src/logs/parse-text.js";
import {
  createReportMachine,
  createReportParser,
  type ParseOutcome,
} from "../../src/logs/parser.js";
import type { InvocationStatus, ReportRecord } from "../../src/logs/record.js";
import { createReportScanner } from "../../src/logs/report-scanner.js";
import { scanJsonReport } from "../../src/logs/scan-json.js";
import { scanTextReport } from "../../src/logs/scan-text.js";
import { readLineBatches } from "../../src/logs/sources/line-source.js";
import { readRecordBatches } from "../../src/logs/sources/read-records.js";

// The byte fast paths (scan-text.ts, scan-json.ts, report-scanner.ts) must give
// exactly what the general parser gives on decoded lines: records, malformed
// reasons, line numbers and batches.

const KNOWN_NAMES = new Set(["Duration", "Status", "Sampled", "SegmentId", "RequestId"]);
const twoDecimals = (max: number) => fc.integer({ min: 0, max: max * 100 }).map((n) => n / 100);
const anyNumber = fc.oneof(
  { weight: 8, arbitrary: twoDecimals(900_000) },
  fc.integer({ min: 0, max: 10_400 }),
  fc.double({ min: 0, max: 1e6, noNaN: true }),
  fc.constantFrom(0, 1e21, 1e-7, 123456789012345.6, 0.1 + 0.2),
);

const anyRecord: fc.Arbitrary<ReportRecord> = fc
  .record(
    {
      requestId: fc.oneof(
        { weight: 8, arbitrary: fc.uuid() },
        fc.stringMatching(/^[!-~]{1,12}$/),
        fc.constant("é-ü-1"),
      ),
      durationMs: anyNumber,
      billedDurationMs: fc.integer({ min: 1, max: 900_000 }),
      memorySizeMB: fc.integer({ min: 128, max: 10_240 }),
      maxMemoryUsedMB: fc.integer({ min: 1, max: 10_400 }),
      status: fc.constantFrom<InvocationStatus>("success", "error", "failure", "timeout"),
      initDurationMs: anyNumber,
      restoreDurationMs: twoDecimals(10_000),
      billedRestoreDurationMs: fc.integer({ min: 0, max: 10_000 }),
      errorType: fc.oneof(
        fc.constantFrom(
          "Runtime.OutOfMemory",
          "Runtime.ExitError",
          "Sandbox.Timedout",
          "Two words",
        ),
        fc.stringMatching(/^[A-Z][A-Za-z]{0,10}\.[A-Z][A-Za-z0-9]{0,12}$/),
      ),
      xrayTraceId: fc.stringMatching(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/),
      xraySegmentId: fc.stringMatching(/^[0-9a-f]{16}$/),
      xraySampled: fc.boolean(),
      extra: fc.dictionary(
        fc
          .stringMatching(/^[A-Z][a-z]{2,8}( [A-Z][a-z]{2,8})?$/)
          .filter((n) => !KNOWN_NAMES.has(n)),
        fc.stringMatching(/^[a-z0-9][a-z0-9.]{0,10}$/),
        { minKeys: 1, maxKeys: 2 },
      ),
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
    else r.extra = { ...r.extra };
    if (r.xrayTraceId === undefined) {
      delete r.xraySegmentId;
      delete r.xraySampled;
    }
    return r;
  });

/** Mostly records as Lambda writes them (no unknown fields, few optional ones), some odd ones. */
const recordArbitrary = fc.tuple(anyRecord, fc.nat(9)).map(([record, dice]) => {
  if (dice < 7) delete record.extra;
  if (dice < 5) {
    delete record.restoreDurationMs;
    delete record.billedRestoreDurationMs;
  }
  if (dice < 3) delete record.xrayTraceId;
  if (dice < 3) delete record.errorType;
  return record;
});

/**
 * A text REPORT line in one of the shapes seen in real logs
 * (docs/lambda-facts.md, "REPORT records").
 */
const textLine = fc
  .tuple(
    recordArbitrary,
    fc.constantFrom(
      "tabs",
      "spaces",
      "space before tab",
      "no tab before Memory Size",
      "init first",
    ),
    fc.constantFrom("", "2024-03-05T10:00:06.000Z ", "2024-03-05T10:00:06.000Z\t", "x "),
    fc.boolean(),
  )
  .map(([record, shape, prefix, xraySameLine]) => {
    let line = formatReportLine(record);
    if (xraySameLine) line = line.replace("\n", "");
    if (shape === "spaces") line = line.replace(/\t/g, "  ");
    if (shape === "space before tab") line = line.replace("ms\t", "ms \t");
    if (shape === "no tab before Memory Size") line = line.replace("ms\tMemory", "msMemory");
    if (shape === "init first") {
      line = line.replace(/(\tDuration: [^\t]*)(.*?)(\tInit Duration: [^\t]*)/, "$3$1$2");
    }
    return prefix + line;
  });

/** A JSON platform.report event, in the formatter's shape or with keys and spacing moved about. */
const jsonLine = fc
  .tuple(
    recordArbitrary,
    fc.constantFrom("compact", "spaced", "reordered", "extra metric", "span id", "no status"),
    fc.constantFrom("", "2024-03-05T10:00:00.000Z\t"),
  )
  .map(([record, shape, prefix]) => {
    const { extra: _, ...plain } = record;
    let line = formatPlatformReport(plain, "2024-03-05T10:00:00.000Z");
    const event = JSON.parse(line);
    if (shape === "spaced")
      line = JSON.stringify(event).replace(/":/g, '" : ').replace(/,"/g, ', "');
    if (shape === "reordered") {
      const metrics = Object.entries(event.record.metrics).reverse();
      event.record = { status: event.record.status, ...event.record };
      event.record.metrics = Object.fromEntries(metrics);
      line = JSON.stringify({ record: event.record, type: event.type, time: event.time });
    }
    if (shape === "extra metric") {
      event.record.metrics.producedBytes = 12;
      line = JSON.stringify(event);
    }
    if (shape === "span id" && event.record.tracing !== undefined) {
      event.record.tracing = { spanId: "abc", ...event.record.tracing };
      event.record.spans = [{ name: "responseLatency", durationMs: 1.5 }];
      line = JSON.stringify(event);
    }
    if (shape === "no status") {
      delete event.record.status;
      line = JSON.stringify(event);
    }
    return prefix + line;
  });

const otherLine = fc.constantFrom(
  "START RequestId: 6f7f0961 Version: $LATEST",
  "END RequestId: 6f7f0961",
  "2024-03-05T10:00:00.123Z\t6f7f0961\tINFO\thandled order 12",
  "INIT_REPORT Init Duration: 3.00 ms\tPhase: init\tStatus: error\tError Type: Runtime.Unknown",
  'app says "REPORT RequestId: x Duration: 1 ms"',
  '{"level":"INFO","message":"type platform.report seen"}',
  '{"time":"t","type":"platform.start","record":{"requestId":"x"}}',
  "XRAY TraceId: 1-abc\tSegmentId: 12\tSampled: true\t",
  "XRAY TraceId: 1-abc\tSampled: maybe",
  "",
  "é ü ∑",
);

/** A line cut somewhere and overwritten with noise, as a torn or corrupted log has it. */
function mangled(line: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(line, fc.nat(), fc.string({ maxLength: 8, unit: "binary" }), fc.boolean())
    .map(([full, cut, noise, truncate]) => {
      const at = cut % (full.length + 1);
      return truncate
        ? full.slice(0, at)
        : full.slice(0, at) + noise + full.slice(at + noise.length);
    });
}

const anyLine = fc.oneof(
  { weight: 3, arbitrary: textLine },
  { weight: 3, arbitrary: jsonLine },
  { weight: 3, arbitrary: otherLine },
  { weight: 2, arbitrary: mangled(textLine) },
  { weight: 2, arbitrary: mangled(jsonLine) },
);

/** A log: lines with LF or CRLF breaks, cut into chunks at arbitrary bytes. */
const logArbitrary = fc
  .tuple(
    fc.array(fc.tuple(anyLine, fc.boolean()), { maxLength: 30 }),
    fc.boolean(),
    fc.array(fc.nat(), { maxLength: 12 }),
    fc.constantFrom(undefined, 10, 40, 120, 300),
  )
  .map(([lines, lastBreak, cuts, maxLineLength]) => {
    let text = lines.map(([line, crlf]) => line + (crlf ? "\r\n" : "\n")).join("");
    if (!lastBreak) text = text.replace(/\r?\n$/, "");
    const bytes = Buffer.from(text);
    const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
    const chunks: Buffer[] = [];
    let from = 0;
    for (const point of [...points, bytes.length]) {
      if (point > from) chunks.push(bytes.subarray(from, point));
      from = point;
    }
    return { chunks, maxLineLength };
  });

function describeOutcome(o: ParseOutcome): unknown {
  return o.kind === "record"
    ? ["record", o.line, o.record]
    : ["malformed", o.line, o.reason, o.text];
}

/** What the general parser gives on the lines `readLineBatches` splits: one array per batch. */
async function general(chunks: Buffer[], maxLineLength: number | undefined) {
  const options = maxLineLength === undefined ? {} : { maxLineLength };
  const parser = createReportParser();
  const outcomes: unknown[] = [];
  const batches: ReportRecord[][] = [];
  const take = (batch: ReportRecord[], found: readonly ParseOutcome[]) => {
    for (const o of found) {
      outcomes.push(describeOutcome(o));
      if (o.kind === "record") batch.push(o.record);
    }
  };
  for await (const { lines, firstLineNumber } of readLineBatches(Readable.from(chunks), options)) {
    const batch: ReportRecord[] = [];
    for (let i = 0; i < lines.length; i++) {
      take(batch, parser.push(lines[i] as string, firstLineNumber + i));
    }
    if (batch.length > 0) batches.push(batch);
  }
  const last: ReportRecord[] = [];
  take(last, parser.end());
  if (last.length > 0) batches.push(last);
  return { outcomes, batches };
}

/** What the byte scanner gives on the same chunks. */
async function fast(chunks: Buffer[], maxLineLength: number | undefined) {
  const outcomes: unknown[] = [];
  const machine = createReportMachine({
    record: (record, line) => outcomes.push(["record", line, record]),
    malformed: (line, reason, text) => outcomes.push(["malformed", line, reason, text]),
  });
  const scanner = createReportScanner(machine, maxLineLength ?? 1 << 20);
  for (const chunk of chunks) scanner.push(chunk);
  scanner.finish();
  machine.flush();
  const options = maxLineLength === undefined ? {} : { maxLineLength };
  const batches: ReportRecord[][] = [];
  for await (const batch of readRecordBatches(Readable.from(chunks), "log", options)) {
    batches.push(batch);
  }
  return { outcomes, batches };
}

describe("the byte fast paths agree with the general parser", () => {
  it("on whole logs: records, malformed reasons, line numbers and batches, however the bytes are chunked", async () => {
    await fc.assert(
      fc.asyncProperty(logArbitrary, async ({ chunks, maxLineLength }) => {
        assert.deepStrictEqual(
          await fast(chunks, maxLineLength),
          await general(chunks, maxLineLength),
        );
      }),
      { numRuns: 1500 },
    );
  });

  it("line by line: whenever a fast path reads a line, the general parser reads the same record", () => {
    let fastText = 0;
    let fastJson = 0;
    fc.assert(
      fc.property(anyLine, (lines) => {
        // A text REPORT line may carry its X-Ray line after a line break.
        for (const line of lines.split("\n")) agree(line);
      }),
      { numRuns: 3000 },
    );
    function agree(line: string) {
      const bytes = Buffer.from(`${line}\n`);
      const end = bytes.length - 1;
      const text = findTextReport(line);
      if (text >= 0) {
        const at = bytes.indexOf("REPORT RequestId:");
        const record =
          at === Buffer.byteLength(line.slice(0, text))
            ? scanTextReport(bytes, at, end)
            : undefined;
        if (record !== undefined) {
          fastText++;
          assert.deepStrictEqual({ ok: true, record }, parseTextReport(line, text));
        }
        return;
      }
      const json = findJsonReport(line);
      if (json < 0) return;
      const record = scanJsonReport(bytes, bytes.indexOf("{"), end);
      if (record !== undefined) {
        fastJson++;
        assert.deepStrictEqual({ ok: true, record }, parseJsonReport(line, json));
      }
    }
    // The fast paths must take the common shapes, not leave everything to the general parser.
    assert.ok(fastText > 300 && fastJson > 300, `fast text ${fastText}, fast JSON ${fastJson}`);
  });
});
