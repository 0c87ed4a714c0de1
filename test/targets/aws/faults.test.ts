import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { CloudWatchLogsClient, paginateFilterLogEvents } from "@aws-sdk/client-cloudwatch-logs";
import { parseLogTail } from "../../../src/logs/parser.js";
import type { ReportRecord } from "../../../src/logs/record.js";
import { totalCost } from "../../../src/model/cost.js";
import { createAwsTarget } from "../../../src/targets/aws/aws-target.js";
import { createFixedGridPlanner } from "../../../src/tune/plan.js";
import { runSweep } from "../../../src/tune/sweep.js";
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

const FUNCTIONS = ["conflicted", "flaky", "broken", "lossy", "lossy-cli", "first-read"];

describe("faults on the aws target keep what was measured", () => {
  let emu: Emulator;
  let logs: CloudWatchLogsClient;
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
    logs = new CloudWatchLogsClient({
      endpoint: emu.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
  });
  afterEach(() => emu.api.faults.clear({ counts: true }));
  after(async () => {
    logs.destroy();
    await emu.close();
  });

  const target = (name: string, extra: Record<string, unknown> = {}) =>
    createAwsTarget({
      ...extra,
      functionArg: name,
      endpointUrl: emu.url,
      stateDir: emu.stateDir,
      wait: { minDelaySeconds: 0.1 },
      throttle: { baseDelayMs: 5, maxDelayMs: 50 },
      logLookup: { waitMs: 2000, pollMs: 50 },
    });

  /** Every REPORT the function wrote: what the account is billed for. */
  async function billed(name: string): Promise<ReportRecord[]> {
    const records: ReportRecord[] = [];
    for await (const page of paginateFilterLogEvents(
      { client: logs },
      { logGroupName: `/aws/lambda/${name}`, filterPattern: '"REPORT RequestId"' },
    )) {
      for (const event of page.events ?? []) {
        const record = parseLogTail(event.message ?? "");
        if (record !== undefined) records.push(record);
      }
    }
    return records;
  }

  async function sweep(name: string, sizes: number[], n: number, extra = {}) {
    const aws = target(name, extra);
    try {
      return {
        aws,
        result: await runSweep({
          target: aws,
          planner: createFixedGridPlanner({ sizes, invocationsPerSize: n }),
          payload: "{}",
          concurrency: 2,
        }),
      };
    } finally {
      await aws.restore();
    }
  }

  it("retries a 409 on Invoke instead of failing the run", async () => {
    emu.api.faults.inject({ operation: "Invoke", kind: "409", times: 1 });
    const { result } = await sweep("conflicted", [128], 3);
    assert.equal(result.stopped, undefined, String(result.stopped));
    assert.equal(result.records.get(128)?.length, 3);
  });

  it("outlasts 429s and 500s beyond the SDK's attempts on Invoke, UpdateFunctionConfiguration and PublishVersion", async () => {
    // Two SDK attempts per call here (five by default): four faults in a row exceed them.
    for (const operation of ["Invoke", "UpdateFunctionConfiguration", "PublishVersion"]) {
      emu.api.faults.inject({ operation, kind: "500", times: 2 });
      emu.api.faults.inject({ operation, kind: "429", times: 2 });
    }
    const { result } = await sweep("flaky", [128, 256], 2, { maxAttempts: 2 });
    assert.equal(result.stopped, undefined, String(result.stopped));
    assert.equal([...result.records.values()].flat().length, 4);
    assert.equal((await configurationOf(emu.admin, "flaky")).MemorySize, 512);
  });

  it("a size that cannot be measured stops the sweep cleanly, keeping every paid invocation", async () => {
    const { aws, result } = await (async () => {
      const aws = target("broken");
      try {
        return {
          aws,
          result: await runSweep({
            target: aws,
            planner: createFixedGridPlanner({ sizes: [128, 256, 512], invocationsPerSize: 4 }),
            payload: "{}",
            concurrency: 1,
            onProgress: (event) => {
              // The second size's third call and every one after fail for good.
              if (event.type === "invocation" && event.memoryMb === 256 && event.done === 2) {
                emu.api.faults.inject({ operation: "Invoke", kind: "500", times: 1000 });
              }
            },
          }),
        };
      } finally {
        emu.api.faults.clear();
        await aws.restore();
      }
    })();
    assert.match(String(result.stopped), /could not invoke .*broken/);
    assert.equal(result.stopped?.exitCode, 1);
    assert.equal(result.stoppedAt, 256);
    assert.equal(result.records.get(128)?.length, 4);
    assert.equal(result.records.get(256)?.length, 2);
    assert.equal(result.records.has(512), false);
    assert.equal(aws.restoreOutcome()?.configuration, "restored");
    assert.deepEqual(await versionsOf(emu.admin, "broken"), ["$LATEST 512 prod"]);
  });

  it("counts invocations whose answer was lost, so tuningCost equals what was billed", async () => {
    emu.api.faults.inject({ operation: "Invoke", kind: "drop-after-run", rate: 0.3, seed: 3 });
    const aws = target("lossy");
    try {
      const result = await runSweep({
        target: aws,
        planner: createFixedGridPlanner({ sizes: [128, 256], invocationsPerSize: 10 }),
        payload: "{}",
        concurrency: 2,
      });
      assert.equal(result.stopped, undefined, String(result.stopped));
      assert.equal([...result.records.values()].flat().length, 20);
    } finally {
      emu.api.faults.clear();
      await aws.restore();
    }
    const all = await billed("lossy");
    const lost = aws.unansweredInvocations().records;
    assert.ok(lost.length > 0, "some answers were lost");
    assert.equal(20 + lost.length, all.length, "every billed invocation is accounted for");
  });

  it("the CLI prints a partial document with every paid invocation and exits 1 when a size fails", async () => {
    emu.api.faults.inject({ operation: "Invoke", kind: "drop-after-run", rate: 0.3, seed: 5 });
    // From the ninth call on, nothing goes through.
    emu.api.faults.inject({ operation: "Invoke", kind: "500", after: 8, times: 10_000 });
    const result = await runCli(
      [
        "run",
        "lossy-cli",
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
    emu.api.faults.clear();
    assert.equal(result.code, 1, result.stderr);
    assert.doesNotMatch(result.stderr, /unexpected failure/);
    assert.match(result.stderr, /could not invoke/);
    const doc = JSON.parse(result.stdout);
    assert.match(doc.warnings.join("\n"), /the sweep stopped early at/);
    const all = await billed("lossy-cli");
    assert.equal(doc.tuningCost.invocations, all.length);
    const usd = totalCost(all, doc.pricing);
    assert.ok(Math.abs(doc.tuningCost.usd - usd) <= usd * 1e-6, `${doc.tuningCost.usd} vs ${usd}`);
    assert.deepEqual(await versionsOf(emu.admin, "lossy-cli"), ["$LATEST 512 prod"]);
  });

  it("outlasts a 409, 429 or 500 on the reads before and after the sweep", async () => {
    for (const operation of ["GetFunctionConfiguration", "GetFunction", "ListVersionsByFunction"]) {
      emu.api.faults.inject({ operation, kind: "409", times: 1 });
      emu.api.faults.inject({ operation, kind: "500", times: 1 });
    }
    const { result, aws } = await sweep("first-read", [128], 2, { maxAttempts: 1 });
    assert.equal(result.stopped, undefined, String(result.stopped));
    assert.equal(aws.restoreOutcome()?.configuration, "restored");
    assert.deepEqual(await versionsOf(emu.admin, "first-read"), ["$LATEST 512 prod"]);
  });
});
