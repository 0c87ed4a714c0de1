// @serial: it measures CPU time or memory under real limits, so it runs alone (scripts/run-tests.mjs).
// `run` on the local emulator as a user runs it: real sandboxes, real limits.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ResultDocument } from "../../src/document/result.js";
import { assertValidResult } from "../document/validate.js";
import { runCli } from "./run-cli.js";

const NOOP = "fixtures/functions/noop/index.handler";

async function runJson(...args: string[]): Promise<{ doc: ResultDocument; stderr: string }> {
  const run = await runCli(["run", ...args, "--json"]);
  assert.equal(run.code, 0, run.stderr);
  const doc: unknown = JSON.parse(run.stdout);
  assertValidResult(doc);
  return { doc: doc as ResultDocument, stderr: run.stderr };
}

describe("run on the local emulator", () => {
  it("sweeps a handler with the limits it names, and says which", async () => {
    const { doc } = await runJson(NOOP, "--memory", "128,256", "-n", "3");
    assert.equal(doc.target, "local");
    assert.ok(
      ["cgroup-v2", "cgroup-v1", "user-space-throttle", "none"].includes(doc.isolation ?? ""),
    );
    assert.deepEqual(
      doc.tiers.map((t) => [t.memoryMb, t.invocations, t.coldStarts]),
      [
        [128, 3, 1],
        [256, 3, 1],
      ],
    );
  });

  it("falls back to the user-space throttle when asked, as a user without cgroups gets", async () => {
    const { doc } = await runJson(
      NOOP,
      "--memory",
      "256",
      "-n",
      "2",
      "--isolation",
      "user-space-throttle",
    );
    assert.equal(doc.isolation, "user-space-throttle");
  });

  it("says plainly when nothing limits the sandboxes", async () => {
    const { doc } = await runJson(NOOP, "--memory", "256", "-n", "2", "--isolation", "none");
    assert.equal(doc.isolation, "none");
    assert.ok(doc.warnings.some((w) => /durations do not reflect the memory size/.test(w)));
  });

  it("runs sizes beyond the host's cores, and warns that their CPU is capped", async () => {
    const { doc } = await runJson(NOOP, "--memory", "4096", "-n", "1", "--isolation", "none");
    assert.equal(doc.tiers[0]?.memoryMb, 4096);
    assert.ok(
      doc.warnings.some((w) => /capped at \d+ vCPU/.test(w)),
      doc.warnings.join("\n"),
    );
  });

  it("reports a module that throws at load per size as an init error; every size failed: exit 1 with the handler's own message", async () => {
    const run = await runCli([
      "run",
      "fixtures/functions/init-error/index.handler",
      "--memory",
      "128,256",
      "-n",
      "2",
      "--json",
    ]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      /every measured size failed, so there is no recommendation; at 128 MB the first error was TypeError: REQUIRED_SETTING is not set/,
    );
    const doc = JSON.parse(run.stdout) as ResultDocument;
    assertValidResult(doc);
    assert.equal(doc.recommendation, null);
    for (const tier of doc.tiers) {
      assert.equal(tier.errors, tier.invocations);
      assert.deepEqual(Object.keys(tier.errorTypes), ["TypeError"]);
      assert.ok(tier.excluded);
      assert.deepEqual(tier.firstError, {
        errorType: "TypeError",
        errorMessage: "REQUIRED_SETTING is not set",
      });
    }
    const table = await runCli([
      "run",
      "fixtures/functions/init-error/index.handler",
      "--memory",
      "128",
      "-n",
      "1",
    ]);
    assert.equal(table.code, 1);
    assert.match(table.stdout, /first error: TypeError: REQUIRED_SETTING is not set/);
  });

  for (const [what, args, pattern] of [
    ["an export that is missing", ["fixtures/functions/noop/index.nothing"], /HandlerNotFound/],
    [
      "an export that is not a function",
      ["fixtures/functions/noop/index.settings"],
      /not a function|HandlerNotFound/,
    ],
    ["a --timeout below 1", [NOOP, "--timeout", "0"], /--timeout/],
    ["a --timeout above 900", [NOOP, "--timeout", "901"], /900/],
    ["a payload that is not JSON", [NOOP, "--payload", "{oops"], /not JSON/],
  ] as const) {
    it(`refuses ${what} with exit 2 before anything runs`, async () => {
      const run = await runCli(["run", ...args, "--memory", "128", "-n", "1"]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, pattern);
      assert.equal(run.stdout, "");
    });
  }
});
