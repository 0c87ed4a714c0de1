import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import {
  InvokeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from "@aws-sdk/client-lambda";
import { Ajv2020 } from "ajv/dist/2020.js";
import { analyzeCommand } from "../../src/cli/analyze-command.js";
import type { CliIo } from "../../src/cli/io.js";
import type { AnalysisDocument } from "../../src/document/analysis.js";
import { UsageError } from "../../src/errors.js";
import { formatPlatformReport, formatReportLine } from "../../src/logs/format.js";
import type { ReportRecord } from "../../src/logs/record.js";
import { readRecords } from "../../src/logs/sources/read-records.js";
import { resolvePricing } from "../../src/model/pricing.js";
import { buildResult } from "../../src/tune/tune.js";
import {
  ECHO,
  type Emulator,
  startEmulator,
  useTestCredentials,
} from "../targets/aws/aws-fixture.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const NOW = new Date("2025-06-08T00:00:00Z");

const ajv = new Ajv2020({
  allErrors: true,
  strict: true,
  formats: { "date-time": /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/ },
});
ajv.addSchema(JSON.parse(readFileSync(join(ROOT, "schema/result.schema.json"), "utf8")));
const validate = ajv.compile(
  JSON.parse(readFileSync(join(ROOT, "schema/analysis.schema.json"), "utf8")),
);

function assertValid(doc: unknown): void {
  const ok = validate(doc);
  assert.ok(ok, JSON.stringify(validate.errors, null, 2));
}

function collect(stream: PassThrough): () => string {
  let text = "";
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  return () => text;
}

async function analyze(
  fn: string | undefined,
  raw: Record<string, unknown>,
  options: { stdin?: string; now?: () => Date; cwd?: string } = {},
) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  const io: CliIo = {
    stdin: Readable.from([options.stdin ?? ""]),
    stdout,
    stderr,
    env: { NO_COLOR: "1" },
    cwd: options.cwd ?? ROOT,
    stdoutIsTty: false,
    stderrIsTty: false,
    columns: 120,
    stderrColumns: 80,
    now: options.now ?? (() => NOW),
  };
  const code = await analyzeCommand(fn, raw, io, { sleep: async () => {} });
  return { code, stdout: out(), stderr: err() };
}

async function analyzeJson(fn: string | undefined, raw: Record<string, unknown>, stdin?: string) {
  const { code, stdout, stderr } = await analyze(fn, { ...raw, json: true }, { stdin });
  assert.equal(code, 0);
  const doc = JSON.parse(stdout) as AnalysisDocument;
  assertValid(doc);
  return { doc, stderr };
}

function record(i: number, extra: Partial<ReportRecord> = {}): ReportRecord {
  return {
    requestId: `req-${i}`,
    durationMs: 100 + (i % 10),
    billedDurationMs: 101 + (i % 10),
    memorySizeMB: 512,
    maxMemoryUsedMB: 470,
    status: "success",
    ...extra,
  };
}

/** 200 calls at 512 MB: 4 cold starts, 3 handler errors, 2 timeouts, 1 out of memory; p99 used 94%. */
function busyLog(): string {
  const lines: string[] = [];
  for (let i = 0; i < 200; i++) {
    let r = record(i);
    if (i % 50 === 0) r = { ...r, initDurationMs: 250 + i };
    if (i === 7 || i === 8 || i === 9)
      r = { ...r, status: "error", errorType: "Runtime.HandlerError" };
    if (i === 20 || i === 21)
      r = { ...r, status: "timeout", durationMs: 3000, billedDurationMs: 3000 };
    if (i === 30)
      r = { ...r, status: "error", errorType: "Runtime.OutOfMemory", maxMemoryUsedMB: 513 };
    lines.push(`START RequestId: ${r.requestId} Version: $LATEST`);
    lines.push(
      i % 2 === 0 ? formatReportLine(r) : formatPlatformReport(r, "2025-06-01T00:00:00.000Z"),
    );
  }
  return `${lines.join("\n")}\n`;
}

function usageError(message: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof UsageError, String(error));
    assert.equal(error.exitCode, 2);
    assert.match(`${error.message}\n${error.hint ?? ""}`, message);
    return true;
  };
}

describe("analyze from files and stdin", () => {
  let dir = "";
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lambda-tune-analyze-"));
    await writeFile(join(dir, "busy.log"), busyLog());
    await writeFile(join(dir, "quiet.log"), "START RequestId: x Version: 1\nEND RequestId: x\n");
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("counts cold starts, errors, timeouts and out-of-memory, and flags the memory headroom", async () => {
    const { doc } = await analyzeJson(undefined, {
      logFile: [join(dir, "busy.log")],
      window: "1d",
    });
    assert.equal(doc.records, 200);
    assert.equal(doc.source.kind, "files");
    const [size] = doc.sizes;
    assert.ok(size !== undefined && doc.sizes.length === 1);
    assert.equal(size.memoryMb, 512);
    assert.equal(size.coldStarts, 4);
    assert.equal(size.coldStartRate, 0.02);
    assert.equal(size.errors, 6);
    assert.equal(size.timeouts, 2);
    assert.equal(size.outOfMemory, 1);
    assert.deepEqual(size.errorTypes, {
      "Runtime.HandlerError": 3,
      "Runtime.OutOfMemory": 1,
      timeout: 2,
    });
    assert.equal(size.durationBasis, "warm");
    assert.equal(size.durationMs.count, 196);
    assert.equal(size.initDurationMs?.max, 400);
    assert.equal(size.memory.verdict, "under-provisioned");
    assert.equal(size.memory.p99UsedMb, 470);
    assert.match(size.memory.advice, /1 invocation ran out of memory/);
    // The tail includes the two 3 s timeouts, so the advice is above them.
    assert.ok(size.timeout.timeoutSeconds >= 4, size.timeout.reason);
    assert.equal(doc.acrossSizes, null);
  });

  it("prices a month at the rate over --window, request fee included", async () => {
    const { doc } = await analyzeJson(undefined, {
      logFile: [join(dir, "busy.log")],
      window: "1d",
    });
    const pricing = resolvePricing({ region: "us-east-1", architecture: "x86_64" });
    const records: ReportRecord[] = [];
    for await (const r of readRecords(Readable.from([busyLog()]), "busy")) records.push(r);
    const total = records.reduce(
      (sum, r) =>
        sum +
        pricing.pricePerGbSecondUsd * (r.memorySizeMB / 1024) * (r.billedDurationMs / 1000) +
        pricing.pricePerRequestUsd,
      0,
    );
    const m = doc.monthlyCost;
    assert.ok(m !== null);
    assert.equal(m.windowSeconds, 86_400);
    assert.equal(m.invocations, 200);
    assert.ok(Math.abs(m.invocationsPerMonth - 200 * 30) < 1e-6);
    assert.ok(Math.abs(m.usd - total * 30) < 1e-9 * total * 30, `${m.usd} vs ${total * 30}`);
  });

  it("has no monthly cost without a window, and says how to get one", async () => {
    const { doc, stderr } = await analyzeJson(undefined, { logFile: [join(dir, "busy.log")] });
    assert.equal(doc.monthlyCost, null);
    assert.match(stderr, /pass --window/);
  });

  it("speaks of no sweep (nothing was invoked) and sums up many sizes instead of listing them", async () => {
    const { code, stdout } = await analyze(undefined, {
      logFile: ["fixtures/recordings/pacslab-f1.log"],
    });
    assert.equal(code, 0);
    assert.doesNotMatch(stdout, /this sweep/);
    assert.match(
      stdout,
      /over-provisioned by p99 of Max Memory Used: 44 sizes from 256 to 3008 MB/,
    );
    assert.match(stdout, /timeout per size: 128 MB 7 s, 192 MB 5 s, 256 MB 4 s, 320-384 MB 3 s/);
    const { doc } = await analyzeJson(undefined, {
      logFile: ["fixtures/recordings/pacslab-f1.log"],
    });
    assert.deepEqual(doc.acrossSizes?.tuningCost, { invocations: 0, usd: 0 });
  });

  it("reads stdin for `-` and prints a table and markdown", async () => {
    const table = await analyze("-", { window: "1d" }, { stdin: busyLog() });
    assert.equal(table.code, 0);
    assert.match(table.stdout, /200 REPORT records at 1 memory size/);
    assert.match(table.stdout, /512 MB: memory under-provisioned/);
    assert.match(table.stdout, /monthly cost at the observed rate: \$/);
    const markdown = await analyze("-", { output: "markdown" }, { stdin: busyLog() });
    assert.match(markdown.stdout, /^## lambda-tune analyze: logs\n/);
    assert.match(markdown.stdout, /\| memory MB \| calls \|/);
  });

  it("gives the same curve and recommendation as run for records at several sizes", async () => {
    const file = "fixtures/recordings/pacslab-f2.log";
    const { doc } = await analyzeJson("f2", { logFile: [file] });
    assert.equal(doc.sizes.length, 46);
    const records: ReportRecord[] = [];
    for await (const r of readRecords(Readable.from([readFileSync(join(ROOT, file))]), file)) {
      records.push(r);
    }
    const pricing = resolvePricing({ region: "us-east-1", architecture: "x86_64" });
    const expected = buildResult(
      {
        targetKind: "replay",
        info: { name: "f2", architecture: "x86_64", region: "us-east-1", warnings: [] },
        planSummary: { sizes: [], invocationsPerSize: null, budget: null, seed: 1 },
        pricing,
        strategy: "cost",
        toolVersion: "test",
        now: () => NOW,
      },
      records,
    );
    assert.ok(doc.acrossSizes !== null);
    assert.deepEqual(doc.acrossSizes.recommendation, expected.recommendation);
    assert.deepEqual(doc.acrossSizes.model, expected.model);
    // The sketch agrees with the exact tiers within its bound.
    for (const tier of expected.tiers) {
      const size = doc.sizes.find((s) => s.memoryMb === tier.memoryMb);
      assert.ok(size !== undefined);
      const error =
        Math.abs(size.durationMs.median - tier.durationMs.median) / tier.durationMs.median;
      assert.ok(error <= doc.method.quantileRelativeError + 1e-12);
    }
  });

  it("samples at most --sample-per-size records per size for the curve, the same for the same seed", async () => {
    const raw = { logFile: ["fixtures/recordings/pacslab-f3.log"], samplePerSize: "20" };
    const a = (await analyzeJson(undefined, raw)).doc;
    const b = (await analyzeJson(undefined, raw)).doc;
    assert.ok(a.acrossSizes !== null && b.acrossSizes !== null);
    assert.ok(a.acrossSizes.tiers.every((t) => t.invocations === 20));
    assert.deepEqual(a.acrossSizes.recommendation, b.acrossSizes.recommendation);
    assert.match(a.acrossSizes.warnings.join(" "), /at most 20 records per size \(seed 1\)/);
    // The per-size figures still count every record.
    assert.ok(a.sizes.every((s) => s.invocations === 100));
  });

  it("is an empty analysis, exit 0, when there are no REPORT records", async () => {
    const { doc, stderr } = await analyzeJson(undefined, { logFile: [join(dir, "quiet.log")] });
    assert.equal(doc.records, 0);
    assert.deepEqual(doc.sizes, []);
    assert.equal(doc.monthlyCost, null);
    assert.match(stderr, /no REPORT records in .*quiet\.log/);
    const table = await analyze(undefined, { logFile: [join(dir, "quiet.log")] });
    assert.match(table.stdout, /0 REPORT records at 0 memory sizes/);
  });

  it("fails with exit 2 on a missing file, before reading any", async () => {
    await assert.rejects(
      analyze(undefined, { logFile: [join(dir, "busy.log"), join(dir, "nope.log")] }),
      usageError(/nope\.log does not exist/),
    );
  });

  it("fails with exit 2 on a --since it cannot read, naming the forms it can", async () => {
    await assert.rejects(
      analyze("my-fn", { since: "last tuesday" }),
      usageError(/--since 'last tuesday'.*30m, 6h, 7d, 2w.*2025-06-01/s),
    );
    await assert.rejects(analyze("my-fn", { since: "7y" }), usageError(/not a time/));
    await assert.rejects(
      analyze("my-fn", { since: "1d", until: "2d" }),
      usageError(/is not before --until/),
    );
    await assert.rejects(
      analyze("my-fn", { window: "1d" }),
      usageError(/--window is for log files/),
    );
    await assert.rejects(
      analyze(undefined, { logFile: ["a.log"], since: "1d" }),
      usageError(/--since and --until choose CloudWatch Logs events/),
    );
    await assert.rejects(analyze("-", { window: "soon" }), usageError(/30m, 6h, 7d or 2w/));
    await assert.rejects(analyze("-", { output: "html" }), usageError(/table, json, markdown/));
  });
});

describe("analyze from CloudWatch Logs (the emulator's FilterLogEvents, real SDK over HTTP)", () => {
  let emu: Emulator;
  before(async () => {
    useTestCredentials();
    emu = await startEmulator({ functions: [{ name: "echo", handler: ECHO, memoryMb: 128 }] });
    const invoke = () => emu.admin.send(new InvokeCommand({ FunctionName: "echo", Payload: "{}" }));
    for (let i = 0; i < 3; i++) await invoke();
    await emu.admin.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: "echo", MemorySize: 256 }),
    );
    await waitUntilFunctionUpdatedV2(
      { client: emu.admin, maxWaitTime: 10, minDelay: 0.1, maxDelay: 0.2 } as never,
      { FunctionName: "echo" },
    );
    for (let i = 0; i < 4; i++) await invoke();
  });
  after(() => emu.close());

  it("reads the function's REPORT records from its log group, at each size", async () => {
    const { code, stdout } = await analyze(
      "echo",
      { endpointUrl: emu.url, json: true, since: "1h" },
      { now: () => new Date() },
    );
    assert.equal(code, 0);
    const doc = JSON.parse(stdout) as AnalysisDocument;
    assertValid(doc);
    assert.equal(doc.source.kind, "cloudwatch");
    assert.deepEqual(doc.source.names, ["/aws/lambda/echo"]);
    assert.equal(doc.source.method, "filter-log-events");
    assert.deepEqual(
      doc.sizes.map((s) => [s.memoryMb, s.invocations, s.coldStarts]),
      [
        [128, 3, 1],
        [256, 4, 1],
      ],
    );
    assert.equal(doc.window?.seconds, 3600);
    assert.ok(doc.monthlyCost !== null && doc.monthlyCost.invocations === 7);
    assert.ok(doc.acrossSizes !== null);
  });

  it("is an empty analysis when the window holds no records", async () => {
    const { doc } = await analyzeJson("echo", {
      endpointUrl: emu.url,
      since: "2020-01-01",
      until: "2020-01-02",
    });
    assert.equal(doc.records, 0);
    assert.match(
      doc.warnings.join(" "),
      /no REPORT records in \/aws\/lambda\/echo between 2020-01-01T00:00:00.000Z/,
    );
  });

  it("reads a window over a day with FilterLogEvents where the endpoint has no Logs Insights, and says so", async () => {
    const { code, stdout } = await analyze(
      "echo",
      { endpointUrl: emu.url, json: true, since: "7d" },
      { now: () => new Date() },
    );
    assert.equal(code, 0);
    const doc = JSON.parse(stdout) as AnalysisDocument;
    assertValid(doc);
    assert.equal(doc.records, 7);
    assert.match(
      doc.source.notes.join(" "),
      /does not serve Logs Insights \(StartQuery\): read with FilterLogEvents/,
    );
  });

  it("fails with exit 2 on --method insights where the endpoint has no Logs Insights, naming --method filter", async () => {
    await assert.rejects(
      analyze(
        "echo",
        { endpointUrl: emu.url, since: "7d", method: "insights" },
        { now: () => new Date() },
      ),
      usageError(/does not serve Logs Insights \(StartQuery\)/),
    );
  });

  it("fails with exit 2 naming the log group when it does not exist", async () => {
    await assert.rejects(
      analyze("never-ran", { endpointUrl: emu.url, since: "1h" }, { now: () => new Date() }),
      usageError(
        /log group \/aws\/lambda\/never-ran does not exist in us-east-1: the function may never have run/,
      ),
    );
  });
});

/**
 * The emulator has no Logs Insights (StartQuery/GetQueryResults), so these
 * answers are recorded responses, shaped as CloudWatch Logs returns them,
 * served over HTTP to the real SDK.
 */
describe("analyze from CloudWatch Logs Insights (recorded responses)", () => {
  let server: Server;
  let url = "";
  const calls: { target: string; body: Record<string, unknown> }[] = [];
  const S = Date.parse("2025-06-01T00:00:00Z") / 1000;
  const text = (i: number, memory: number) =>
    `${formatReportLine({ ...record(i), memorySizeMB: memory, maxMemoryUsedMB: 60 })}\n`;
  const rows = (i: number): { field: string; value: string }[][] => [
    [
      { field: "@timestamp", value: "2025-06-01 00:00:01.000" },
      { field: "@message", value: text(i, 128) },
      { field: "@ptr", value: "x" },
    ],
    [
      {
        field: "@message",
        value: formatPlatformReport(
          { ...record(i + 1), memorySizeMB: 128, status: "timeout" },
          "2025-06-01T00:00:02.000Z",
        ),
      },
    ],
    // A row with fields only: memory in bytes, MB x 10^6 (docs/lambda-facts.md, "CloudWatch Logs").
    [
      { field: "@requestId", value: `fields-${i}` },
      { field: "@duration", value: "50.5" },
      { field: "@billedDuration", value: "51" },
      { field: "@memorySize", value: "256000000" },
      { field: "@maxMemoryUsed", value: "240000000" },
      { field: "@initDuration", value: "300.25" },
    ],
  ];
  const answers = new Map<string, { rows: unknown[]; matched: number }>();

  before(async () => {
    useTestCredentials();
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        const target = String(req.headers["x-amz-target"]).replace("Logs_20140328.", "");
        const input = JSON.parse(body) as Record<string, unknown>;
        calls.push({ target, body: input });
        let answer: unknown;
        if (target === "StartQuery") {
          const id = `q-${calls.length}`;
          const start = Number(input.startTime);
          const end = Number(input.endTime);
          // The whole window and any single second are over the 10,000-row cap; halves are not.
          const capped = (start === S && end === S + 9) || start === end;
          answers.set(
            id,
            capped ? { rows: rows(0), matched: 12_000 } : { rows: rows(start - S), matched: 3 },
          );
          answer = { queryId: id };
        } else if (target === "GetQueryResults") {
          const id = String(input.queryId);
          const polls = calls.filter((c) => c.target === target && c.body.queryId === id).length;
          const found = answers.get(id);
          answer =
            polls === 1
              ? { status: "Running", results: [] }
              : {
                  status: "Complete",
                  results: found?.rows ?? [],
                  statistics: {
                    recordsMatched: found?.matched ?? 0,
                    recordsScanned: 100,
                    bytesScanned: 1000,
                  },
                };
        } else if (target === "FilterLogEvents") {
          answer = {
            events: [
              {
                logStreamName: "s",
                timestamp: S * 1000,
                message: text(90, 512),
                ingestionTime: 0,
                eventId: "1",
              },
              {
                logStreamName: "s",
                timestamp: S * 1000,
                message: text(91, 512),
                ingestionTime: 0,
                eventId: "2",
              },
            ],
          };
        }
        res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("splits a window over the 10,000-row cap into halves, polls each query and reads every row", async () => {
    calls.length = 0;
    const { doc } = await analyzeJson("fn", {
      endpointUrl: url,
      method: "insights",
      since: "2025-06-01T00:00:00Z",
      until: "2025-06-01T00:00:09Z",
    });
    const starts = calls.filter((c) => c.target === "StartQuery");
    assert.deepEqual(
      starts.map((c) => [Number(c.body.startTime) - S, Number(c.body.endTime) - S]),
      [
        [0, 9],
        [0, 4],
        [5, 9],
      ],
    );
    assert.equal(starts[0]?.body.logGroupName, "/aws/lambda/fn");
    assert.match(String(starts[0]?.body.queryString), /filter @type = "REPORT"/);
    assert.equal(doc.source.method, "logs-insights");
    assert.match(
      doc.source.notes.join(" "),
      /at most 10000 rows per query: the window was split into 2 queries/,
    );
    assert.equal(doc.records, 6);
    const [small, large] = doc.sizes;
    assert.deepEqual([small?.memoryMb, small?.invocations, small?.timeouts], [128, 4, 2]);
    assert.deepEqual([large?.memoryMb, large?.invocations, large?.coldStarts], [256, 2, 2]);
    assert.equal(large?.memory.maxUsedMb, 240);
    assert.equal(large?.initDurationMs?.max, 300.25);
  });

  it("falls back to FilterLogEvents for a second still over the cap, and says so", async () => {
    calls.length = 0;
    const { doc } = await analyzeJson("fn", {
      endpointUrl: url,
      method: "insights",
      since: "2025-06-01T00:00:00Z",
      until: "2025-06-01T00:00:00.900Z",
    });
    assert.deepEqual(
      calls.map((c) => c.target),
      ["StartQuery", "GetQueryResults", "GetQueryResults", "FilterLogEvents"],
    );
    const filter = calls.at(-1)?.body;
    assert.deepEqual([filter?.startTime, filter?.endTime], [S * 1000, S * 1000 + 999]);
    assert.match(String(filter?.filterPattern), /\?"REPORT RequestId" \?"platform.report"/);
    assert.match(doc.source.notes.join(" "), /read with FilterLogEvents/);
    assert.deepEqual(
      doc.sizes.map((s) => [s.memoryMb, s.invocations]),
      [[512, 2]],
    );
  });
});
