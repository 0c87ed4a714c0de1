import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, afterEach, before, describe, it } from "node:test";
import {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
} from "@aws-sdk/client-lambda";
import { applyToAlias, applyToFunction } from "../../../src/targets/aws/apply.js";
import { createAwsTarget } from "../../../src/targets/aws/aws-target.js";
import { journalPath } from "../../../src/targets/aws/journal.js";
import { createFixedGridPlanner } from "../../../src/tune/plan.js";
import { runSweep } from "../../../src/tune/sweep.js";
import {
  configurationOf,
  type Emulator,
  NOOP,
  startEmulator,
  useTestCredentials,
  versionsOf,
} from "./aws-fixture.js";

useTestCredentials();

describe("--apply and --apply-alias", () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({
      functions: [
        { name: "applied", handler: NOOP, memoryMb: 1536, timeoutSeconds: 30, description: "api" },
        { name: "aliased", handler: NOOP, memoryMb: 1536, timeoutSeconds: 30, description: "api" },
      ],
    });
  });
  afterEach(() => emu.api.faults.clear({ counts: true }));
  after(() => emu.close());

  async function sweptTarget(name: string) {
    const aws = createAwsTarget({
      functionArg: name,
      endpointUrl: emu.url,
      stateDir: emu.stateDir,
      wait: { minDelaySeconds: 0.1 },
    });
    await runSweep({
      target: aws,
      planner: createFixedGridPlanner({ sizes: [256, 512], invocationsPerSize: 2 }),
      payload: "{}",
      concurrency: 1,
    });
    return aws;
  }

  it("--apply sets the recommendation on the function and deletes the run's versions", async () => {
    const versionsBefore = await versionsOf(emu.admin, "applied");
    const aws = await sweptTarget("applied");
    const outcome = await applyToFunction(aws, { memoryMb: 512, timeoutSeconds: 4 });
    await aws.restore();
    assert.equal(outcome.applied, true);
    assert.deepEqual(outcome.before, { memoryMb: 1536, timeoutSeconds: 30 });
    assert.deepEqual(outcome.after, { memoryMb: 512, timeoutSeconds: 4 });
    assert.deepEqual(outcome.restore.deletedVersions, ["1", "2"]);
    const config = await configurationOf(emu.admin, "applied");
    assert.equal(config.MemorySize, 512);
    assert.equal(config.Timeout, 4);
    assert.equal(config.Description, "api");
    assert.deepEqual(
      (await versionsOf(emu.admin, "applied")).slice(1),
      versionsBefore.slice(1),
      "no version left but $LATEST's",
    );
    assert.equal(
      existsSync(
        journalPath(emu.stateDir, "arn:aws:lambda:us-east-1:000000000000:function:applied"),
      ),
      false,
    );
    // restore() after apply has nothing left to do.
    assert.equal(emu.api.faults.calls("UpdateFunctionConfiguration"), 3);
  });

  it("--apply-alias creates the alias on a new version and restores $LATEST", async () => {
    const configBefore = await configurationOf(emu.admin, "aliased");
    const aws = await sweptTarget("aliased");
    const outcome = await applyToAlias(aws, "tuned", { memoryMb: 256, timeoutSeconds: 5 });
    await aws.restore();
    assert.equal(outcome.before, null);
    assert.equal(outcome.after.memoryMb, 256);
    const alias = await emu.admin.send(
      new GetAliasCommand({ FunctionName: "aliased", Name: "tuned" }),
    );
    assert.equal(alias.FunctionVersion, outcome.after.version);
    const version = await emu.admin.send(
      new GetFunctionConfigurationCommand({ FunctionName: "aliased", Qualifier: "tuned" }),
    );
    assert.equal(version.MemorySize, 256);
    assert.equal(version.Timeout, 5);
    assert.equal(version.Description, "api");
    assert.deepEqual(await configurationOf(emu.admin, "aliased"), configBefore);
    const versions = await versionsOf(emu.admin, "aliased");
    assert.deepEqual(versions, ["$LATEST 1536 api", `${outcome.after.version} 256 api`]);
  });

  it("--apply-alias moves an existing alias and says where it pointed", async () => {
    const first = await emu.admin.send(new PublishVersionCommand({ FunctionName: "aliased" }));
    await emu.admin.send(
      new CreateAliasCommand({
        FunctionName: "aliased",
        Name: "live",
        FunctionVersion: first.Version,
      }),
    );
    const aws = await sweptTarget("aliased");
    const outcome = await applyToAlias(aws, "live", { memoryMb: 512, timeoutSeconds: 6 });
    assert.deepEqual(outcome.before, {
      memoryMb: 1536,
      timeoutSeconds: 30,
      version: first.Version,
    });
    const alias = await emu.admin.send(
      new GetAliasCommand({ FunctionName: "aliased", Name: "live" }),
    );
    assert.equal(alias.FunctionVersion, outcome.after.version);
    assert.notEqual(alias.FunctionVersion, first.Version);
  });
});
