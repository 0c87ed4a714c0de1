import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import type { CliIo } from "../../src/cli/io.js";
import { reportCommand } from "../../src/cli/report-command.js";
import { SCHEMA_VERSION } from "../../src/document/result.js";
import { UsageError } from "../../src/errors.js";
import { renderResult } from "../../src/report/renderers.js";
import { samplePredict, sampleResult } from "../document/sample-result.js";

function collect(stream: PassThrough): () => string {
  let text = "";
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  return () => text;
}

function memoryIo(cwd: string, env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  const io: CliIo = {
    stdin: Readable.from([]),
    stdout,
    stderr,
    env,
    cwd,
    stdoutIsTty: false,
    stderrIsTty: false,
    columns: 100,
    stderrColumns: 80,
    now: () => new Date("2025-09-14T12:00:00Z"),
  };
  return { io, out, err };
}

async function rejectsWithUsage(promise: Promise<unknown>, message: RegExp, hint: RegExp) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof UsageError, String(error));
    assert.equal(error.exitCode, 2);
    assert.match(error.message, message);
    assert.match(error.hint ?? "", hint);
    return true;
  });
}

describe("reportCommand", () => {
  let dir = "";
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lambda-tune-report-"));
    await writeFile(join(dir, "result.json"), JSON.stringify(sampleResult(), null, 2));
    await writeFile(join(dir, "broken.json"), "{ not json");
    await writeFile(join(dir, "other.json"), JSON.stringify({ name: "package", version: "1" }));
    await writeFile(
      join(dir, "newer.json"),
      JSON.stringify({ ...sampleResult(), schemaVersion: SCHEMA_VERSION + 1 }),
    );
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("renders the saved result as the table by default, with the fitted curve", async () => {
    const { io, out, err } = memoryIo(dir);
    assert.equal(await reportCommand("result.json", {}, io), 0);
    const expected = renderResult(sampleResult(), "table", {
      color: false,
      width: 100,
      predict: samplePredict,
    });
    assert.equal(out(), expected);
    assert.equal(err(), "");
  });

  it("colors the table when FORCE_COLOR asks, never a file", async () => {
    const { io, out } = memoryIo(dir, { FORCE_COLOR: "1" });
    await reportCommand("result.json", { output: "table" }, io);
    assert.ok(out().includes("\x1b["));
    await reportCommand("result.json", { output: "table", out: "table.txt" }, io);
    assert.ok(!(await readFile(join(dir, "table.txt"), "utf8")).includes("\x1b["));
  });

  it("writes the HTML page to --out and nothing to stdout", async () => {
    const { io, out } = memoryIo(dir);
    assert.equal(await reportCommand("result.json", { output: "html", out: "report.html" }, io), 0);
    assert.equal(out(), "");
    const html = await readFile(join(dir, "report.html"), "utf8");
    assert.ok(html.startsWith("<!doctype html>"));
    assert.equal(html.match(/<svg /g)?.length, 2);
    assert.match(html, /class="fit"/);
  });

  it("renders every registered format, markdown and json included", async () => {
    for (const output of ["markdown", "json"]) {
      const { io, out } = memoryIo(dir);
      assert.equal(await reportCommand("result.json", { output }, io), 0);
      assert.ok(out().length > 100, output);
    }
    const { io, out } = memoryIo(dir);
    await reportCommand("result.json", { output: "json" }, io);
    assert.deepEqual(JSON.parse(out()), sampleResult());
  });

  it("refuses an unknown format, naming the known ones", async () => {
    const { io } = memoryIo(dir);
    await rejectsWithUsage(
      reportCommand("result.json", { output: "pdf" }, io),
      /unknown output format "pdf"/,
      /--output table.*--output html/,
    );
  });

  it("refuses a missing file, non-JSON, a document of another tool, and a newer schema", async () => {
    const { io, out } = memoryIo(dir);
    await rejectsWithUsage(
      reportCommand("missing.json", {}, io),
      /missing\.json.*ENOENT/,
      /lambda-tune run --json/,
    );
    await rejectsWithUsage(
      reportCommand("broken.json", {}, io),
      /broken\.json is not a lambda-tune result: it is not JSON/,
      /result document/,
    );
    await rejectsWithUsage(
      reportCommand("other.json", {}, io),
      /other\.json is not a lambda-tune result/,
      /result document/,
    );
    await rejectsWithUsage(
      reportCommand("newer.json", {}, io),
      /schema version 2, newer than this lambda-tune reads \(1\)/,
      /upgrade lambda-tune/,
    );
    assert.equal(out(), "");
  });

  it("renders a result whose model this version does not know, without its curve", async () => {
    const doc = sampleResult();
    doc.model = { ...doc.model!, name: "from-the-future" };
    await writeFile(join(dir, "future-model.json"), JSON.stringify(doc));
    const { io, out } = memoryIo(dir);
    await reportCommand("future-model.json", { output: "html" }, io);
    assert.doesNotMatch(out(), /class="fit"/);
    assert.equal(out().match(/<svg /g)?.length, 2);
  });
});
