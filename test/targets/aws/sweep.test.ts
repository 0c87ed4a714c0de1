import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { after, afterEach, before, describe, it } from "node:test";
import {
  CreateAliasCommand,
  GetAliasCommand,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from "@aws-sdk/client-lambda";
import { createAwsTarget } from "../../../src/targets/aws/aws-target.js";
import { journalPath } from "../../../src/targets/aws/journal.js";
import { describeConflict } from "../../../src/targets/aws/restore.js";
import { DEFAULT_INVOCATIONS, DEFAULT_SIZES } from "../../../src/tune/memory-spec.js";
import { createFixedGridPlanner } from "../../../src/tune/plan.js";
import { runSweep } from "../../../src/tune/sweep.js";
import {
  configurationOf,
  type Emulator,
  NOOP,
  startEmulator,
  THROWS,
  useTestCredentials,
  versionsOf,
} from "./aws-fixture.js";

useTestCredentials();

const ARN = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

describe("aws target against the emulator's Lambda API", () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({
      functions: [
        { name: "noop", handler: NOOP, memoryMb: 256, timeoutSeconds: 7, description: "mine" },
        { name: "throws", handler: THROWS },
        { name: "kept", handler: NOOP, description: "v1" },
        { name: "theirs", handler: NOOP, description: "before" },
        { name: "failing", handler: NOOP, description: "before" },
        { name: "slow-update", handler: NOOP },
        { name: "in-flight", handler: NOOP, memoryMb: 384, description: "before" },
      ],
    });
  });
  afterEach(() => emu.api.faults.clear({ counts: true }));
  after(() => emu.close());

  const target = (functionArg: string, extra: Record<string, unknown> = {}) =>
    createAwsTarget({
      functionArg,
      endpointUrl: emu.url,
      stateDir: emu.stateDir,
      wait: { minDelaySeconds: 0.1 },
      ...extra,
    });

  it("sweeps the default grid and leaves the function as it found it", async (t) => {
    const configBefore = await configurationOf(emu.admin, "noop");
    const versionsBefore = await versionsOf(emu.admin, "noop");
    const aws = target("noop");
    const info = await aws.describe();
    assert.equal(info.region, "us-east-1");
    assert.equal(info.currentMemoryMb, 256);
    assert.equal(info.currentTimeoutSeconds, 7);
    assert.ok(info.architecture === "x86_64" || info.architecture === "arm64");

    const started = performance.now();
    let sweep: Awaited<ReturnType<typeof runSweep>>;
    try {
      sweep = await runSweep({
        target: aws,
        planner: createFixedGridPlanner({
          sizes: [...DEFAULT_SIZES],
          invocationsPerSize: DEFAULT_INVOCATIONS,
        }),
        payload: "{}",
        concurrency: 2,
      });
    } finally {
      await aws.restore();
    }
    const seconds = (performance.now() - started) / 1000;
    assert.equal(sweep.invocations, DEFAULT_SIZES.length * DEFAULT_INVOCATIONS);
    for (const size of DEFAULT_SIZES) {
      const records = sweep.records.get(size) ?? [];
      assert.equal(records.length, DEFAULT_INVOCATIONS);
      for (const record of records) {
        assert.equal(record.memorySizeMB, size);
        assert.equal(record.status, "success");
      }
    }
    const calls = emu.api.faults.allCalls();
    t.diagnostic(`default sweep: ${JSON.stringify(calls)} in ${seconds.toFixed(1)} s`);
    assert.equal(calls.Invoke, DEFAULT_SIZES.length * DEFAULT_INVOCATIONS);
    assert.equal(calls.PublishVersion, DEFAULT_SIZES.length);
    assert.equal(calls.UpdateFunctionConfiguration, DEFAULT_SIZES.length + 1);
    assert.equal(calls.DeleteFunction, DEFAULT_SIZES.length);

    assert.deepEqual(await configurationOf(emu.admin, "noop"), configBefore);
    assert.deepEqual(await versionsOf(emu.admin, "noop"), versionsBefore);
    assert.equal(existsSync(journalPath(emu.stateDir, ARN("noop"))), false);
    assert.equal(aws.restoreOutcome()?.configuration, "restored");
    await aws.restore();
    assert.equal(emu.api.faults.calls("UpdateFunctionConfiguration"), DEFAULT_SIZES.length + 1);
  });

  it("writes the journal before the first change, keeps it while changed, removes it after restore", async () => {
    const aws = target("noop", { runId: "journal1" });
    await aws.describe();
    const path = journalPath(emu.stateDir, ARN("noop"));
    assert.equal(existsSync(path), false, "describe changes nothing");
    await aws.prepare(512);
    const journal = JSON.parse(await readFile(path, "utf8"));
    assert.deepEqual(journal.original, {
      memorySize: 256,
      timeout: 7,
      description: "mine",
      revisionId: journal.original.revisionId,
    });
    assert.equal(journal.runId, "journal1");
    assert.equal(journal.pid, process.pid);
    assert.equal(journal.publishedVersions.length, 1);
    assert.equal(
      (await configurationOf(emu.admin, "noop")).Description,
      "lambda-tune journal1 512 MB",
    );
    await aws.restore();
    assert.equal(existsSync(path), false);
    assert.equal((await configurationOf(emu.admin, "noop")).Description, "mine");
  });

  it("records a handler error as a record with status error", async () => {
    const aws = target("throws");
    try {
      const prepared = await aws.prepare(128);
      const invocation = await prepared.invoke('{"message":"boom"}');
      assert.equal(invocation.record.status, "error");
      assert.equal(invocation.functionError, "Unhandled");
      assert.match(invocation.response ?? "", /boom/);
    } finally {
      await aws.restore();
    }
  });

  it("leaves pre-existing versions and aliases alone", async () => {
    const published = await emu.admin.send(new PublishVersionCommand({ FunctionName: "kept" }));
    await emu.admin.send(
      new CreateAliasCommand({
        FunctionName: "kept",
        Name: "live",
        FunctionVersion: published.Version,
      }),
    );
    const versionsBefore = await versionsOf(emu.admin, "kept");
    const configBefore = await configurationOf(emu.admin, "kept");
    const aws = target("kept");
    try {
      await runSweep({
        target: aws,
        planner: createFixedGridPlanner({ sizes: [128, 1024], invocationsPerSize: 2 }),
        payload: "{}",
        concurrency: 1,
      });
    } finally {
      await aws.restore();
    }
    assert.deepEqual(await versionsOf(emu.admin, "kept"), versionsBefore);
    assert.deepEqual(await configurationOf(emu.admin, "kept"), configBefore);
    const alias = await emu.admin.send(new GetAliasCommand({ FunctionName: "kept", Name: "live" }));
    assert.equal(alias.FunctionVersion, published.Version);
  });

  it("survives 100 throttled invocations and conflicts, counting each invocation once", async (t) => {
    emu.api.faults.inject({ operation: "Invoke", kind: "429", times: 100 });
    emu.api.faults.inject({ operation: "UpdateFunctionConfiguration", kind: "409", times: 3 });
    emu.api.faults.inject({ operation: "PublishVersion", kind: "409", times: 3 });
    const aws = target("noop");
    const started = performance.now();
    let sweep: Awaited<ReturnType<typeof runSweep>>;
    try {
      sweep = await runSweep({
        target: aws,
        planner: createFixedGridPlanner({ sizes: [128, 512], invocationsPerSize: 25 }),
        payload: "{}",
        concurrency: 25,
      });
    } finally {
      await aws.restore();
    }
    const records = [...sweep.records.values()].flat();
    assert.equal(records.length, 50);
    assert.equal(new Set(records.map((r) => r.requestId)).size, 50);
    const calls = emu.api.faults.allCalls();
    t.diagnostic(
      `after 100 injected 429s: ${records.length} records, ${calls.Invoke} Invoke calls, ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    assert.equal(calls.Invoke, 150);
    assert.equal(aws.restoreOutcome()?.configuration, "restored");
    assert.equal((await configurationOf(emu.admin, "noop")).MemorySize, 256);
  });

  it("survives dropped connections and 500s on every kind of call", async () => {
    for (const operation of [
      "UpdateFunctionConfiguration",
      "PublishVersion",
      "GetFunction",
      "Invoke",
    ]) {
      emu.api.faults.inject({ operation, kind: "drop", times: 1 });
      emu.api.faults.inject({ operation, kind: "500", times: 1 });
    }
    const aws = target("noop");
    let sweep: Awaited<ReturnType<typeof runSweep>>;
    try {
      sweep = await runSweep({
        target: aws,
        planner: createFixedGridPlanner({ sizes: [128, 256], invocationsPerSize: 3 }),
        payload: "{}",
        concurrency: 2,
      });
    } finally {
      await aws.restore();
    }
    assert.equal([...sweep.records.values()].flat().length, 6);
    assert.equal(aws.restoreOutcome()?.configuration, "restored");
    assert.equal(aws.restoreOutcome()?.deletedVersions.length, 2);
    assert.equal((await configurationOf(emu.admin, "noop")).MemorySize, 256);
  });

  it("restores after a failure mid-sweep (PublishVersion failing with 500)", async () => {
    const configBefore = await configurationOf(emu.admin, "failing");
    const versionsBefore = await versionsOf(emu.admin, "failing");
    const aws = target("failing", { maxAttempts: 2 });
    await assert.rejects(
      async () => {
        try {
          await runSweep({
            target: aws,
            planner: createFixedGridPlanner({ sizes: [128, 256, 512], invocationsPerSize: 2 }),
            payload: "{}",
            concurrency: 1,
            onProgress: (event) => {
              if (event.type === "size-done" && event.memoryMb === 128) {
                emu.api.faults.inject({ operation: "PublishVersion", kind: "500", times: 20 });
              }
            },
          });
        } finally {
          assert.ok(
            existsSync(journalPath(emu.stateDir, ARN("failing"))),
            "journal kept while changed",
          );
          emu.api.faults.clear();
          await aws.restore();
        }
      },
      { name: "ServiceException" },
    );
    assert.deepEqual(await configurationOf(emu.admin, "failing"), configBefore);
    assert.deepEqual(await versionsOf(emu.admin, "failing"), versionsBefore);
    assert.equal(existsSync(journalPath(emu.stateDir, ARN("failing"))), false);
  });

  it("reports, and does not overwrite, a change someone else made during the run", async () => {
    const aws = target("theirs");
    await aws.prepare(512);
    await emu.admin.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: "theirs",
        MemorySize: 2048,
        Description: "changed by a colleague",
      }),
    );
    await waitUntilFunctionUpdatedV2(
      { client: emu.admin, maxWaitTime: 10, minDelay: 0.1 },
      {
        FunctionName: "theirs",
      },
    );
    await aws.restore();
    const outcome = aws.restoreOutcome();
    assert.equal(outcome?.configuration, "changed-by-someone-else");
    assert.deepEqual(outcome?.kept, [
      { field: "memory", theirs: "2048 MB", before: "128 MB" },
      { field: "description", theirs: "'changed by a colleague'", before: "'before'" },
    ]);
    assert.match(
      outcome === undefined ? "" : describeConflict(outcome),
      /theirs was changed by someone else during the run: lambda-tune kept their memory 2048 MB \(128 MB before the run\) and their description 'changed by a colleague'.* and deleted the version it published/,
    );
    assert.equal(outcome?.deletedVersions.length, 1);
    const now = await configurationOf(emu.admin, "theirs");
    assert.equal(now.MemorySize, 2048);
    assert.equal(now.Description, "changed by a colleague");
    assert.deepEqual(await versionsOf(emu.admin, "theirs"), [
      "$LATEST 2048 changed by a colleague",
    ]);
    assert.equal(existsSync(journalPath(emu.stateDir, ARN("theirs"))), false);
  });

  it("restores fully when aborted while waiting for an update", async () => {
    const configBefore = await configurationOf(emu.admin, "slow-update");
    const versionsBefore = await versionsOf(emu.admin, "slow-update");
    const abort = new AbortController();
    const aws = target("slow-update", { signal: abort.signal, wait: { minDelaySeconds: 0.05 } });
    await aws.describe();
    const preparing = aws.prepare(1024);
    // The emulator keeps the update InProgress for 100 ms; abort while the waiter polls.
    setTimeout(() => abort.abort(new Error("Ctrl-C")), 30);
    await assert.rejects(preparing);
    await aws.restore();
    assert.deepEqual(await configurationOf(emu.admin, "slow-update"), configBefore);
    assert.deepEqual(await versionsOf(emu.admin, "slow-update"), versionsBefore);
    assert.equal(existsSync(journalPath(emu.stateDir, ARN("slow-update"))), false);
  });

  it("an update still on its way when Ctrl-C came cannot land after the restore", async () => {
    const configBefore = await configurationOf(emu.admin, "in-flight");
    const versionsBefore = await versionsOf(emu.admin, "in-flight");
    // The request has left; the service takes it up only after the run has restored.
    emu.api.faults.inject({
      operation: "UpdateFunctionConfiguration",
      kind: "delay",
      delayMs: 1500,
    });
    const abort = new AbortController();
    const aws = target("in-flight", { signal: abort.signal });
    await aws.describe();
    const preparing = aws.prepare(1024);
    while (emu.api.faults.calls("UpdateFunctionConfiguration") < 1) await sleep(10);
    abort.abort(new Error("Ctrl-C"));
    await assert.rejects(preparing);
    await aws.restore();
    await sleep(2500);
    assert.deepEqual(await configurationOf(emu.admin, "in-flight"), configBefore);
    assert.deepEqual(await versionsOf(emu.admin, "in-flight"), versionsBefore);
    assert.equal(existsSync(journalPath(emu.stateDir, ARN("in-flight"))), false);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
