import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import {
  checkSameFunction,
  compareWithBaseline,
  parseBaselineOptions,
  parseThreshold,
} from "../../src/cli/baseline.js";
import { compareCommand } from "../../src/cli/compare-command.js";
import type { CliIo } from "../../src/cli/io.js";
import { readResultFile } from "../../src/cli/result-file.js";
import type { Comparison } from "../../src/document/comparison.js";
import type { ResultDocument } from "../../src/document/result.js";
import { GateError, UsageError } from "../../src/errors.js";
import { sampleResult } from "../document/sample-result.js";

class Sink extends Writable {
  text = "";
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

function memoryIo(cwd: string): CliIo & { stdout: Sink; stderr: Sink } {
  return {
    stdin: Readable.from([]),
    stdout: new Sink(),
    stderr: new Sink(),
    env: { NO_COLOR: "1" },
    cwd,
    stdoutIsTty: false,
    stderrIsTty: false,
    columns: 100,
    stderrColumns: 80,
    now: () => new Date(0),
  };
}

/** The sample with every duration and cost `factor` times as large. */
function slower(factor: number, overrides: Partial<ResultDocument> = {}): ResultDocument {
  const doc = sampleResult(overrides);
  const scale = <T extends object>(d: T): T =>
    Object.fromEntries(
      Object.entries(d).map(([k, v]) => [k, k === "count" ? v : (v as number) * factor]),
    ) as T;
  doc.tiers = doc.tiers.map((t) => ({
    ...t,
    durationMs: scale(t.durationMs),
    billedDurationMs: scale(t.billedDurationMs),
    costPerInvocationUsd: t.costPerInvocationUsd * factor,
    costPerMillionUsd: t.costPerMillionUsd * factor,
  }));
  return doc;
}

let dir: string;
const file = (name: string) => join(dir, name);
async function put(name: string, content: unknown): Promise<string> {
  await writeFile(file(name), typeof content === "string" ? content : JSON.stringify(content));
  return name;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "lambda-tune-compare-"));
  await put("base.json", sampleResult());
  await put("same.json", sampleResult({ generatedAt: "2025-09-15T10:00:00.000Z" }));
  await put("slow.json", slower(1.2));
  await put("other-fn.json", sampleResult({ function: "another-function" }));
  await put("not-json.json", "REPORT RequestId: x Duration: 1 ms");
  await put("not-result.json", { hello: "world" });
  await put("broken.json", { ...sampleResult(), tiers: [{ memoryMb: 128 }] });
  await put("newer.json", { ...sampleResult(), schemaVersion: 2 });
});
after(() => rm(dir, { recursive: true, force: true }));

async function usageError(run: Promise<unknown>, message: RegExp, hint?: RegExp): Promise<void> {
  await assert.rejects(run, (error: unknown) => {
    assert.ok(error instanceof UsageError, String(error));
    assert.equal(error.exitCode, 2);
    assert.match(error.message, message);
    if (hint) assert.match(error.hint ?? "", hint);
    return true;
  });
}

describe("compare", () => {
  it("prints what changed and exits 0 when nothing regressed", async () => {
    const io = memoryIo(dir);
    const code = await compareCommand(["base.json", "same.json"], { failOnRegression: "10%" }, io);
    assert.equal(code, 0);
    assert.match(io.stdout.text, /recommendation: unchanged at 1024 MB, timeout 2 s/);
    assert.match(
      io.stdout.text,
      /gate --fail-on-regression 10% at 256 MB \(current configuration\): passed/,
    );
    assert.equal(io.stderr.text, "");
    assert.ok(!io.stdout.text.includes("\x1b["));
  });

  it("prints the comparison, then fails with a GateError (exit 3) on a 20% slowdown", async () => {
    const io = memoryIo(dir);
    await assert.rejects(
      compareCommand(["base.json", "slow.json"], { failOnRegression: "0.1" }, io),
      (error: unknown) => {
        assert.ok(error instanceof GateError);
        assert.equal(error.exitCode, 3);
        assert.match(error.message, /cost per invocation at 256 MB \+20%/);
        return true;
      },
    );
    assert.match(io.stdout.text, /FAILED/);
  });

  it("only reports without --fail-on-regression", async () => {
    const io = memoryIo(dir);
    assert.equal(await compareCommand(["base.json", "slow.json"], {}, io), 0);
    assert.ok(!io.stdout.text.includes("gate"));
  });

  it("prints JSON and Markdown", async () => {
    const json = memoryIo(dir);
    await compareCommand(["base.json", "same.json"], { output: "json" }, json);
    const comparison = JSON.parse(json.stdout.text) as Comparison;
    assert.equal(comparison.comparisonVersion, 1);
    assert.equal(comparison.sizes.length, 5);
    const markdown = memoryIo(dir);
    await compareCommand(["base.json", "same.json"], { output: "markdown" }, markdown);
    assert.match(markdown.stdout.text, /^## What changed since the baseline\n/);
    await usageError(
      compareCommand(["base.json", "same.json"], { output: "html" }, memoryIo(dir)),
      /unknown --output 'html'/,
      /table, markdown, json/,
    );
  });

  it("refuses a file that is not JSON, or JSON that is not a result", async () => {
    await usageError(
      compareCommand(["not-json.json", "same.json"], {}, memoryIo(dir)),
      /not-json\.json is not a lambda-tune result: it is not JSON/,
      /run --json/,
    );
    await usageError(
      compareCommand(["base.json", "not-result.json"], {}, memoryIo(dir)),
      /not-result\.json is not a lambda-tune result: tool\.name is not "lambda-tune"/,
    );
    await usageError(
      compareCommand(["broken.json", "same.json"], {}, memoryIo(dir)),
      /broken\.json is not a lambda-tune result: .*tiers\[0\]\.invocations is not a number/,
    );
    await usageError(
      compareCommand(["missing.json", "same.json"], {}, memoryIo(dir)),
      /cannot read missing\.json \(ENOENT\)/,
    );
  });

  it("asks to upgrade lambda-tune for a result of a newer schema version", async () => {
    await usageError(
      compareCommand(["newer.json", "same.json"], {}, memoryIo(dir)),
      /newer\.json is a result of schema version 2, newer than this lambda-tune reads \(1\)/,
      /upgrade lambda-tune/,
    );
  });

  it("compares results of different functions only with --force, and then warns", async () => {
    await usageError(
      compareCommand(["other-fn.json", "same.json"], {}, memoryIo(dir)),
      /other-fn\.json is a result for another-function, not fixtures\/handlers\/cpu-bound\.handler/,
      /--force/,
    );
    const io = memoryIo(dir);
    assert.equal(await compareCommand(["other-fn.json", "same.json"], { force: true }, io), 0);
    assert.match(
      io.stderr.text,
      /^lambda-tune: warning: other-fn\.json is a result for another-function.*--force/,
    );
    assert.match(io.stdout.text, /the baseline is for another-function/);
  });

  it("needs exactly two files and a threshold it can read", async () => {
    await usageError(
      compareCommand(["base.json"], {}, memoryIo(dir)),
      /compare needs two result files, not 1/,
    );
    for (const bad of ["ten", "-5%", "10", "%", ""]) {
      await usageError(
        compareCommand(["base.json", "same.json"], { failOnRegression: bad }, memoryIo(dir)),
        /--fail-on-regression/,
      );
    }
    assert.equal(parseThreshold("10%"), 0.1);
    assert.equal(parseThreshold("0.1"), 0.1);
    assert.equal(parseThreshold(" 2.5% "), 0.025);
    assert.equal(parseThreshold("0"), 0);
  });
});

/** What run --baseline does: read the baseline and check it before the sweep, compare after it. */
async function applyBaseline(
  doc: ResultDocument,
  path: string,
  options: { failOnRegression: number | undefined; force: boolean; allowInconclusive?: boolean },
  io: ReturnType<typeof memoryIo>,
) {
  const baseline = await readResultFile(io.cwd, path);
  await checkSameFunction(baseline, doc.function, path, options.force, io);
  return compareWithBaseline(doc, baseline, { allowInconclusive: false, ...options });
}

describe("run --baseline (readResultFile, checkSameFunction, compareWithBaseline)", () => {
  it("compares a fresh result with the baseline and gives the exit code and the error to throw", async () => {
    const passed = await applyBaseline(
      sampleResult(),
      "base.json",
      { failOnRegression: 0.1, force: false },
      memoryIo(dir),
    );
    assert.equal(passed.exitCode, 0);
    assert.equal(passed.error, undefined);
    assert.equal(passed.comparison.gate?.tripped, false);
    const tripped = await applyBaseline(
      slower(1.2),
      "base.json",
      { failOnRegression: 0.1, force: false },
      memoryIo(dir),
    );
    assert.equal(tripped.exitCode, 3);
    assert.ok(tripped.error instanceof GateError);
    const ungated = await applyBaseline(
      slower(1.2),
      "base.json",
      { failOnRegression: undefined, force: false },
      memoryIo(dir),
    );
    assert.equal(ungated.exitCode, 0);
    assert.equal(ungated.comparison.gate, null);
  });

  it("checks its options: a threshold needs a baseline", () => {
    assert.deepEqual(parseBaselineOptions({}), {
      baseline: undefined,
      failOnRegression: undefined,
      allowInconclusive: false,
      force: false,
    });
    assert.deepEqual(
      parseBaselineOptions({ baseline: "b.json", failOnRegression: "10%", force: true }),
      {
        baseline: "b.json",
        failOnRegression: 0.1,
        allowInconclusive: false,
        force: true,
      },
    );
    assert.throws(
      () => parseBaselineOptions({ baseline: "b.json", allowInconclusive: true }),
      /--allow-inconclusive applies only to a gate/,
    );
    assert.throws(() => parseBaselineOptions({ failOnRegression: "10%" }), /needs a baseline/);
  });
});
