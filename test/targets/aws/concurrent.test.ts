import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, afterEach, before, describe, it } from "node:test";
import {
  UpdateFunctionConfigurationCommand,
  type UpdateFunctionConfigurationCommandInput,
  waitUntilFunctionUpdatedV2,
} from "@aws-sdk/client-lambda";
import { ConcurrentChangeError } from "../../../src/errors.js";
import { createAwsTarget } from "../../../src/targets/aws/aws-target.js";
import { journalPath } from "../../../src/targets/aws/journal.js";
import { createFixedGridPlanner } from "../../../src/tune/plan.js";
import { runSweep, type SweepEvent } from "../../../src/tune/sweep.js";
import { runCli } from "../../cli/run-cli.js";
import {
  configurationOf,
  type Emulator,
  NOOP,
  startEmulator,
  TEST_ENV,
  useTestCredentials,
  versionsOf,
} from "./aws-fixture.js";

useTestCredentials();

const ARN = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const FUNCTIONS = ["early", "early-two", "early-timeout", "between", "late", "first", "cli"];

describe("someone else changes the function during a run", () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({
      functions: FUNCTIONS.map((name) => ({
        name,
        handler: NOOP,
        memoryMb: 512,
        timeoutSeconds: 5,
        description: "prod",
      })),
    });
  });
  afterEach(() => emu.api.faults.clear({ counts: true }));
  after(() => emu.close());

  /** A colleague's change with the AWS SDK, waited out as they would. */
  async function colleague(input: UpdateFunctionConfigurationCommandInput): Promise<void> {
    await emu.admin.send(new UpdateFunctionConfigurationCommand(input));
    await waitUntilFunctionUpdatedV2(
      { client: emu.admin, maxWaitTime: 10, minDelay: 0.1 },
      { FunctionName: input.FunctionName },
    );
  }

  /** Sweeps `name` and has the colleague change it when `when` says so. */
  async function sweepWithChange(
    name: string,
    sizes: number[],
    when: (event: SweepEvent) => boolean,
    change: Omit<UpdateFunctionConfigurationCommandInput, "FunctionName">,
    extra: Record<string, unknown> = {},
  ) {
    const aws = createAwsTarget({
      functionArg: name,
      endpointUrl: emu.url,
      stateDir: emu.stateDir,
      wait: { minDelaySeconds: 0.1 },
      ...extra,
    });
    let changing: Promise<void> | undefined;
    let sweep: Awaited<ReturnType<typeof runSweep>>;
    try {
      sweep = await runSweep({
        target: aws,
        planner: createFixedGridPlanner({ sizes, invocationsPerSize: 3 }),
        payload: "{}",
        concurrency: 1,
        onProgress: (event) => {
          if (changing === undefined && when(event)) {
            // The run's next call waits while the colleague's change lands.
            emu.api.faults.inject({ operation: "Invoke", kind: "delay", delayMs: 1000 });
            changing = colleague({ FunctionName: name, ...change });
          }
        },
      });
      await changing;
    } finally {
      await changing?.catch(() => {});
      await aws.restore();
    }
    return { sweep, outcome: aws.restoreOutcome() };
  }

  const duringFirstSize = (event: SweepEvent) => event.type === "invocation" && event.done === 1;

  it("early: stops the sweep, keeps their memory, removes its own description and versions", async () => {
    const { sweep, outcome } = await sweepWithChange("early", [128, 256, 1024], duringFirstSize, {
      MemorySize: 2048,
    });
    assert.ok(sweep.stopped instanceof ConcurrentChangeError, String(sweep.stopped));
    assert.match(sweep.stopped.message, /early was changed by someone else/);
    assert.deepEqual([...sweep.records.keys()], [128], "what was measured is kept");
    assert.equal(sweep.records.get(128)?.length, 3);
    const now = await configurationOf(emu.admin, "early");
    assert.equal(now.MemorySize, 2048, "their memory survives");
    assert.equal(now.Description, "prod", "the run's description is gone");
    assert.equal(now.Timeout, 5);
    assert.deepEqual(await versionsOf(emu.admin, "early"), ["$LATEST 2048 prod"]);
    assert.equal(outcome?.configuration, "changed-by-someone-else");
    assert.deepEqual(outcome?.kept, [{ field: "memory", theirs: "2048 MB", before: "512 MB" }]);
    assert.equal(existsSync(journalPath(emu.stateDir, ARN("early"))), false);
  });

  it("early, memory and description: keeps both", async () => {
    await sweepWithChange("early-two", [128, 256], duringFirstSize, {
      MemorySize: 1536,
      Description: "hotfix",
    });
    const now = await configurationOf(emu.admin, "early-two");
    assert.equal(now.MemorySize, 1536);
    assert.equal(now.Description, "hotfix");
    assert.equal(now.Timeout, 5);
    assert.deepEqual(await versionsOf(emu.admin, "early-two"), ["$LATEST 1536 hotfix"]);
  });

  it("early, timeout: keeps their timeout, puts back its own memory and description", async () => {
    const { outcome } = await sweepWithChange(
      "early-timeout",
      [128, 256],
      duringFirstSize,
      { Timeout: 60 },
      { timeoutSeconds: 20 },
    );
    const now = await configurationOf(emu.admin, "early-timeout");
    assert.equal(now.Timeout, 60);
    assert.equal(now.MemorySize, 512);
    assert.equal(now.Description, "prod");
    assert.deepEqual(outcome?.kept, [{ field: "timeout", theirs: "60 s", before: "5 s" }]);
  });

  it("between update and publish: the publish is refused (412), their change kept, the run's removed", async () => {
    // Hold the second PublishVersion long enough for the colleague to change the function.
    emu.api.faults.inject({ operation: "PublishVersion", kind: "delay", after: 1, delayMs: 1500 });
    const aws = createAwsTarget({
      functionArg: "between",
      endpointUrl: emu.url,
      stateDir: emu.stateDir,
      wait: { minDelaySeconds: 0.1 },
    });
    try {
      await aws.prepare(128);
      const preparing = aws.prepare(256);
      while (emu.api.faults.calls("PublishVersion") < 2) await sleep(10);
      await colleague({ FunctionName: "between", Description: "deployed meanwhile" });
      await assert.rejects(preparing, (error: unknown) => {
        assert.ok(error instanceof ConcurrentChangeError, String(error));
        assert.equal(error.exitCode, 4);
        return true;
      });
    } finally {
      await aws.restore();
    }
    const now = await configurationOf(emu.admin, "between");
    assert.equal(now.Description, "deployed meanwhile");
    assert.equal(now.MemorySize, 512, "the run's memory is gone");
    assert.deepEqual(await versionsOf(emu.admin, "between"), ["$LATEST 512 deployed meanwhile"]);
  });

  it("late: a change during the last size is kept and the run's own settings removed", async () => {
    const { sweep, outcome } = await sweepWithChange(
      "late",
      [128, 256],
      (event) => event.type === "invocation" && event.memoryMb === 256 && event.done === 1,
      { MemorySize: 3008 },
    );
    assert.equal(sweep.stopped, undefined, "the sweep itself had finished its last size");
    assert.equal(sweep.records.get(256)?.length, 3);
    const now = await configurationOf(emu.admin, "late");
    assert.equal(now.MemorySize, 3008);
    assert.equal(now.Description, "prod");
    assert.equal(now.Timeout, 5);
    assert.deepEqual(await versionsOf(emu.admin, "late"), ["$LATEST 3008 prod"]);
    assert.equal(outcome?.configuration, "changed-by-someone-else");
  });

  it("a RevisionId conflict on the first update: nothing changed, a clear refusal", async () => {
    const aws = createAwsTarget({
      functionArg: "first",
      endpointUrl: emu.url,
      stateDir: emu.stateDir,
      wait: { minDelaySeconds: 0.1 },
    });
    try {
      await aws.describe();
      await colleague({ FunctionName: "first", MemorySize: 640 });
      await assert.rejects(aws.prepare(128), (error: unknown) => {
        assert.ok(error instanceof ConcurrentChangeError, String(error));
        assert.match(error.message, /first was changed by someone else before lambda-tune changed/);
        return true;
      });
    } finally {
      await aws.restore();
    }
    const now = await configurationOf(emu.admin, "first");
    assert.equal(now.MemorySize, 640);
    assert.equal(now.Description, "prod");
    assert.deepEqual(await versionsOf(emu.admin, "first"), ["$LATEST 640 prod"]);
    assert.equal(emu.api.faults.calls("PublishVersion"), 0);
    assert.equal(existsSync(journalPath(emu.stateDir, ARN("first"))), false);
  });

  it("the CLI exits 4, says what was kept, and prints the partial result", async () => {
    emu.api.faults.inject({ operation: "Invoke", kind: "delay", after: 2, delayMs: 1500 });
    const running = runCli(
      [
        "run",
        "cli",
        "--target",
        "aws",
        "--endpoint-url",
        emu.url,
        "--memory",
        "128,256,512",
        "-n",
        "4",
        "--json",
      ],
      { env: { ...TEST_ENV, LAMBDA_TUNE_STATE_DIR: emu.stateDir } },
    );
    while (emu.api.faults.calls("Invoke") < 3) await sleep(10);
    await colleague({ FunctionName: "cli", MemorySize: 1024 });
    const result = await running;
    assert.equal(result.code, 4, result.stderr);
    assert.match(result.stderr, /cli was changed by someone else during the run/);
    assert.match(result.stderr, /kept their memory 1024 MB/);
    const doc = JSON.parse(result.stdout);
    assert.deepEqual(
      doc.tiers.map((t: { memoryMb: number }) => t.memoryMb),
      [128],
    );
    assert.equal(doc.tuningCost.invocations, 4);
    const now = await configurationOf(emu.admin, "cli");
    assert.equal(now.MemorySize, 1024);
    assert.equal(now.Description, "prod");
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
