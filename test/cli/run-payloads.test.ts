// Weighted payloads (`--payload-file`) on the local emulator, and the bad input they can be.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { ResultDocument } from "../../src/document/result.js";
import { assertValidResult } from "../document/validate.js";
import { runCli } from "./run-cli.js";

const IO_BOUND = "fixtures/functions/io-bound/index.handler";
const CALLBACK = "fixtures/functions/callback/index.handler";

describe("run --payload-file with several payloads", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lambda-tune-payloads-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function file(name: string, text: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  }

  async function runJson(...args: string[]): Promise<ResultDocument> {
    return runJsonExiting(0, ...args);
  }

  async function runJsonExiting(code: number, ...args: string[]): Promise<ResultDocument> {
    const run = await runCli(["run", ...args, "--json"]);
    assert.equal(run.code, code, run.stderr);
    const doc: unknown = JSON.parse(run.stdout);
    assertValidResult(doc);
    return doc as ResultDocument;
  }

  it("weighs each payload's warm calls by its weight, and breaks them down per payload", async () => {
    // Three of every four events wait 10 ms, one waits 200 ms: the mix averages 57.5 ms.
    const weighted = await file(
      "weighted.json",
      JSON.stringify([
        { payload: { waitMs: 10 }, weight: 3 },
        { payload: { waitMs: 200 }, weight: 1 },
      ]),
    );
    const doc = await runJson(
      IO_BOUND,
      "--payload-file",
      weighted,
      "--memory",
      "1024,1792",
      "-n",
      "5",
    );
    assert.deepEqual(doc.payloads, [
      { label: "#1", weight: 0.75, preview: '{"waitMs":10}' },
      { label: "#2", weight: 0.25, preview: '{"waitMs":200}' },
    ]);
    for (const tier of doc.tiers) {
      const [short, long] = tier.payloads ?? [];
      assert.equal(
        short?.warmInvocations,
        2,
        "the same mix at every size: two rounds after the cold call",
      );
      assert.equal(long?.warmInvocations, 2);
      assert.ok(
        short!.medianDurationMs! >= 10 && short!.medianDurationMs! < 60,
        `${short!.medianDurationMs}`,
      );
      assert.ok(long!.medianDurationMs! >= 200, `${long!.medianDurationMs}`);
      const mixed = 0.75 * short!.costPerInvocationUsd! + 0.25 * long!.costPerInvocationUsd!;
      assert.ok(Math.abs(tier.costPerInvocationUsd - mixed) < 1e-15);
      assert.ok(tier.durationMs.mean > 50 && tier.durationMs.mean < 110, `${tier.durationMs.mean}`);
    }
    assert.equal(doc.recommendation?.memoryMb, 1024, "an I/O wait: the smaller size");
  });

  it("takes NDJSON events with equal weights", async () => {
    const events = await file("events.ndjson", '{"waitMs":5}\n{"waitMs":15}\n{"waitMs":25}\n');
    const doc = await runJson(IO_BOUND, "--payload-file", events, "--memory", "1024", "-n", "4");
    assert.deepEqual(
      doc.payloads?.map((p) => [p.label, Math.round(p.weight * 300)]),
      [
        ["line 1", 100],
        ["line 2", 100],
        ["line 3", 100],
      ],
    );
    assert.deepEqual(
      doc.tiers[0]?.payloads?.map((p) => p.warmInvocations),
      [1, 1, 1],
    );
  });

  it("names a payload that fails at every size, and fails (exit 1): nothing can be recommended", async () => {
    const mix = await file(
      "failing.json",
      JSON.stringify([
        { payload: { name: "Ada" }, weight: 1 },
        { payload: { fail: true }, weight: 1 },
      ]),
    );
    const doc = await runJsonExiting(
      1,
      CALLBACK,
      "--payload-file",
      mix,
      "--memory",
      "1024,1792",
      "-n",
      "3",
    );
    assert.equal(doc.recommendation, null);
    assert.ok(
      doc.warnings.some((w) => /^payload #2 \(\{"fail":true\}\) failed at every size/.test(w)),
      doc.warnings.join("\n"),
    );
    assert.ok(!doc.warnings.some((w) => w.startsWith("payload #1")));
  });

  for (const [what, name, text, extra, pattern] of [
    [
      "a weight of 0",
      "zero.json",
      '[{"payload":{},"weight":1},{"payload":{},"weight":0}]',
      [],
      /entry #2 of .*zero\.json has weight 0: weights must be numbers above 0/,
    ],
    [
      "a negative weight",
      "negative.json",
      '[{"payload":{},"weight":-1}]',
      [],
      /entry #1 of .*negative\.json has weight -1/,
    ],
    ["a list with no entries", "empty.json", "[]", [], /empty\.json is a list with no entries/],
    [
      "an entry without payload",
      "nopayload.json",
      '[{"payload":{},"weight":1},{"weight":1}]',
      [],
      /entry #2 of .*nopayload\.json has no "payload"/,
    ],
    [
      "an NDJSON line that is not JSON",
      "bad.ndjson",
      '{"a":1}\n{"a":2}\nnot json\n',
      [],
      /line 3 of .*bad\.ndjson is not JSON/,
    ],
    [
      "more payloads than -n allows at one size",
      "three.ndjson",
      "{}\n{}\n{}\n",
      ["-n", "3"],
      /3 payloads are more than -n 3 calls at one size allow.*-n 4 or more/s,
    ],
    [
      "more payloads than --budget allows",
      "nine.ndjson",
      "{}\n".repeat(9),
      ["--budget", "20"],
      /9 payloads are more than --budget 20 allows.*--budget 23 or more/s,
    ],
  ] as const) {
    it(`refuses ${what} with exit 2 before anything runs`, async () => {
      const path = await file(name, text);
      const sizes = extra[0] === "--budget" ? [] : ["--memory", "1024"];
      const run = await runCli(["run", IO_BOUND, "--payload-file", path, ...sizes, ...extra]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, pattern);
      assert.equal(run.stdout, "");
      assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
    });
  }
});
