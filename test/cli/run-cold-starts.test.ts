import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { ResultDocument } from "../../src/document/result.js";
import { formatReportLine } from "../../src/logs/format.js";
import type { ReportRecord } from "../../src/logs/record.js";
import { assertValidResult } from "../document/validate.js";
import { runCli } from "./run-cli.js";

let counter = 0;
function report(memorySizeMB: number, durationMs: number, initDurationMs?: number): string {
  counter++;
  const record: ReportRecord = {
    requestId: `00000000-0000-4000-8000-${String(counter).padStart(12, "0")}`,
    durationMs,
    billedDurationMs: Math.ceil(durationMs + (initDurationMs ?? 0)),
    memorySizeMB,
    maxMemoryUsedMB: 60,
    status: "success",
    ...(initDurationMs !== undefined && { initDurationMs }),
  };
  return formatReportLine(record);
}

/**
 * Warm, 128 MB x 100 ms beats 1,024 MB x 13 ms by 4%; but 128 MB inits for
 * 3 s, 1,024 MB for 0.2 s, so a few percent of cold starts turn the pick.
 */
function sweepLog(): string {
  const lines = [report(128, 100, 3000), report(1024, 15, 200)];
  for (let i = 0; i < 10; i++) lines.push(report(128, 99 + (i % 3)), report(1024, 13));
  return `${lines.join("\n")}\n`;
}

/** Production: 100 invocations at 512 MB, 4 of them cold. */
function productionLog(): string {
  const lines: string[] = [];
  for (let i = 0; i < 100; i++) lines.push(report(512, 40, i % 25 === 0 ? 300 : undefined));
  return `${lines.join("\n")}\n`;
}

describe("run: production cold starts in the cost", () => {
  let dir: string;
  let sweep: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lambda-tune-cold-"));
    sweep = join(dir, "sweep.log");
    await writeFile(sweep, sweepLog());
    await writeFile(join(dir, "production.log"), productionLog());
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const run = (...args: string[]) =>
    runCli(["run", "f", "--replay-file", sweep, "--memory", "128,1024", "-n", "11", ...args]);

  async function json(...args: string[]): Promise<ResultDocument> {
    const result = await run("--json", ...args);
    assert.equal(result.code, 0, result.stderr);
    const doc: unknown = JSON.parse(result.stdout);
    assertValidResult(doc);
    return doc as ResultDocument;
  }

  it("weighs a --cold-start-rate into each size's cost and says the pick moved", async () => {
    assert.equal((await json()).recommendation?.memoryMb, 128);
    const doc = await json("--cold-start-rate", "1%");
    assert.equal(doc.recommendation?.memoryMb, 1024);
    assert.equal(doc.recommendation?.coldStarts?.changesPick, true);
    assert.equal(doc.recommendation?.coldStarts?.steadyStateMemoryMb, 128);
    assert.ok(doc.tiers.every((t) => t.productionCostPerInvocationUsd !== undefined));
    const text = (await run("--cold-start-rate", "0.01")).stdout.replace(/\s+/g, " ");
    assert.match(
      text,
      /cold starts: at a 1% cold-start rate \(Init billed\) the pick moves from 128 MB \(warm calls alone\) to 1,024 MB/,
    );
    assert.match(text, /per 1M: at a 1% cold-start rate/);
  });

  it("bills cold calls without Init under --no-bill-init, as before August 2025", async () => {
    const doc = await json("--cold-start-rate", "1%", "--no-bill-init");
    assert.equal(doc.recommendation?.memoryMb, 128);
    assert.equal(doc.recommendation?.coldStarts?.billInit, false);
  });

  it("takes the rate an analysis of production logs measured", async () => {
    const analysis = await runCli([
      "analyze",
      "--log-file",
      join(dir, "production.log"),
      "--window",
      "1d",
      "--json",
    ]);
    assert.equal(analysis.code, 0, analysis.stderr);
    const file = join(dir, "analysis.json");
    await writeFile(file, analysis.stdout);
    const doc = await json("--cold-starts-from", file);
    assert.equal(doc.recommendation?.coldStarts?.rate, 0.04);
    assert.match(
      doc.recommendation?.coldStarts?.source ?? "",
      /analysis\.json \(4 cold starts in 100 invocations: 4%\)/,
    );
    assert.equal(doc.recommendation?.memoryMb, 1024);
  });

  it("refuses two sources of the rate, and a file that is no analysis", async () => {
    const both = await run("--cold-start-rate", "1%", "--cold-starts-from", "x.json");
    assert.equal(both.code, 2);
    assert.match(
      both.stderr,
      /--cold-start-rate and --cold-starts-from each set the cold-start rate/,
    );
    const result = join(dir, "result.json");
    await writeFile(result, (await run("--json")).stdout);
    const wrong = await run("--cold-starts-from", result);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /result\.json is not a lambda-tune analysis/);
    assert.doesNotMatch(wrong.stderr, /\n\s+at /, "no stack trace");
  });
});
