import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { parseCommand } from "../../src/cli/parse-command.js";
import { UsageError } from "../../src/errors.js";

function collect(stream: PassThrough): () => string {
  let text = "";
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  return () => text;
}

async function run(files: string[], stdinText = "", cwd?: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  const io = { stdin: Readable.from([stdinText]), stdout, stderr, ...(cwd ? { cwd } : {}) };
  const code = await parseCommand(files, io);
  return { code, stdout: out(), stderr: err() };
}

const GOOD =
  "REPORT RequestId: a1\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 18 MB\tInit Duration: 100.50 ms\t";

describe("parseCommand", () => {
  let dir = "";
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lambda-tune-parse-"));
    await writeFile(join(dir, "empty.log"), "");
    await writeFile(
      join(dir, "no-reports.log"),
      "START RequestId: x Version: 1\nEND RequestId: x\n",
    );
    await writeFile(
      join(dir, "mixed.log"),
      `${GOOD}\nREPORT RequestId: b2\tDuration: 1 ms\nSTART RequestId: c Version: 1\r\n${GOOD.replace("a1", "c3")}\r\n`,
    );
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("prints stdin records as NDJSON with the Telemetry API names in order", async () => {
    const { code, stdout, stderr } = await run([], `START RequestId: a1 Version: 1\n${GOOD}\n`);
    assert.equal(code, 0);
    assert.equal(stderr, "");
    assert.equal(
      stdout,
      '{"requestId":"a1","durationMs":12.34,"billedDurationMs":13,"memorySizeMB":128,"maxMemoryUsedMB":18,"initDurationMs":100.5,"status":"success"}\n',
    );
  });

  it("reads the fixtures: every variant, text and JSON, one object per record", async () => {
    const { code, stdout } = await run([
      "fixtures/reports/variants.log",
      "fixtures/reports/variants-json.log",
    ]);
    assert.equal(code, 0);
    const records = stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    assert.equal(records.length, 15 + 6);
    const oom = records.find((r) => r.errorType === "Runtime.OutOfMemory");
    assert.deepEqual(Object.keys(oom), [
      "requestId",
      "durationMs",
      "billedDurationMs",
      "memorySizeMB",
      "maxMemoryUsedMB",
      "status",
      "errorType",
    ]);
    assert.equal(records.filter((r) => r.xrayTraceId !== undefined).length, 4);
  });

  it("reports malformed lines as file:line: reason and goes on", async () => {
    const { code, stdout, stderr } = await run(["mixed.log"], "", dir);
    assert.equal(code, 0);
    assert.deepEqual(
      stdout
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line).requestId),
      ["a1", "c3"],
    );
    assert.equal(stderr, "mixed.log:2: missing Billed Duration\n");
  });

  it("fails with a UsageError naming a missing file, before printing anything", async () => {
    const stdout = new PassThrough();
    const out = collect(stdout);
    const io = { stdin: Readable.from([""]), stdout, stderr: new PassThrough(), cwd: dir };
    await assert.rejects(parseCommand(["mixed.log", "missing.log"], io), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /missing\.log does not exist/);
      assert.match(error.hint ?? "", /path|stdin/);
      return true;
    });
    assert.equal(out(), "");
  });

  it("fails with a UsageError for files without REPORT records, after printing the others", async () => {
    const stdout = new PassThrough();
    const out = collect(stdout);
    const io = { stdin: Readable.from([""]), stdout, stderr: new PassThrough(), cwd: dir };
    await assert.rejects(
      parseCommand(["empty.log", "mixed.log", "no-reports.log"], io),
      (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.equal(error.message, "no REPORT records in empty.log, no-reports.log");
        assert.match(error.hint ?? "", /REPORT RequestId: <id> {2}Duration: 12\.34 ms/);
        return true;
      },
    );
    assert.equal(out().trimEnd().split("\n").length, 2);
  });

  it("fails for empty stdin", async () => {
    await assert.rejects(run([], ""), /no REPORT records in <stdin>/);
  });

  it("waits for a slow stdout (backpressure) rather than buffering all output", async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `${GOOD.replace("a1", `id${i}`)}\n`);
    const stdout = new PassThrough({ highWaterMark: 1024 });
    const io = { stdin: Readable.from(lines), stdout, stderr: new PassThrough() };
    const done = parseCommand([], io);
    // Nobody reads yet: without waiting for drain all ~700 KB would pile up in the stream.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(stdout.writableLength < 200_000, `buffered ${stdout.writableLength} bytes`);
    let received = "";
    stdout.on("data", (chunk: Buffer) => {
      received += chunk.toString();
    });
    assert.equal(await done, 0);
    assert.equal(received.trimEnd().split("\n").length, 5000);
  });
});
