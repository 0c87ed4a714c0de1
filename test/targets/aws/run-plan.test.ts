import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { GateError } from "../../../src/errors.js";
import { resolvePricing } from "../../../src/model/pricing.js";
import { createAwsTarget } from "../../../src/targets/aws/aws-target.js";
import { checkMaxCost, formatAwsRunPlan, planAwsRun } from "../../../src/targets/aws/run-plan.js";
import { DEFAULT_INVOCATIONS, DEFAULT_SIZES } from "../../../src/tune/memory-spec.js";
import { type Emulator, NOOP, startEmulator, useTestCredentials } from "./aws-fixture.js";

useTestCredentials();

const pricing = resolvePricing({ region: "us-east-1", architecture: "x86_64" });

describe("dry run and cost estimate", () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ functions: [{ name: "noop", handler: NOOP, timeoutSeconds: 60 }] });
  });
  after(() => emu.close());

  it("counts the calls of a default sweep and estimates typical and worst cost, changing nothing", async () => {
    const aws = createAwsTarget({
      functionArg: "noop",
      endpointUrl: emu.url,
      stateDir: emu.stateDir,
    });
    const info = await aws.describe();
    const plan = planAwsRun({
      plan: { kind: "grid", sizes: DEFAULT_SIZES, invocationsPerSize: DEFAULT_INVOCATIONS },
      timeoutSeconds: info.currentTimeoutSeconds ?? 3,
      pricing,
    });
    await aws.restore();
    assert.deepEqual(emu.api.faults.allCalls(), { GetFunctionConfiguration: 1 });
    assert.deepEqual(await readdir(emu.stateDir), []);
    assert.equal(plan.invocations, 50);
    assert.equal(plan.versions, 5);
    assert.equal(plan.calls.Invoke, 50);
    assert.equal(plan.calls.UpdateFunctionConfiguration, 6);
    assert.equal(plan.calls.PublishVersion, 5);
    assert.equal(plan.calls.DeleteFunction, 5);
    // 10 calls at each of 128+256+512+1024+1536 = 3456 MB: 33.75 GB-s per second of duration.
    const gbSecondsPerSecond = (10 * 3456) / 1024;
    const expectedTypical =
      gbSecondsPerSecond * pricing.pricePerGbSecondUsd + 50 * pricing.pricePerRequestUsd;
    assert.ok(Math.abs(plan.estimate.typicalUsd - expectedTypical) < 1e-12);
    const expectedWorst =
      60 * gbSecondsPerSecond * pricing.pricePerGbSecondUsd + 50 * pricing.pricePerRequestUsd;
    assert.ok(Math.abs(plan.estimate.worstCaseUsd - expectedWorst) < 1e-12);
    assert.match(
      formatAwsRunPlan("noop", plan),
      /nothing was changed on noop[\s\S]*Invoke +50[\s\S]*at most \$0\.0337/,
    );
  });

  it("bounds a budget's worst case by the largest size", () => {
    const plan = planAwsRun({
      plan: { kind: "adaptive", budget: 30, sizes: [128, 3008] },
      timeoutSeconds: 10,
      pricing,
    });
    assert.equal(plan.invocations, 30);
    assert.equal(plan.adaptive, true);
    assert.equal(plan.versions, 2);
    assert.match(formatAwsRunPlan("fn", plan), /up to 2 versions/);
    assert.ok(
      Math.abs(
        plan.estimate.worstCaseUsd -
          30 * ((3008 / 1024) * 10 * pricing.pricePerGbSecondUsd + pricing.pricePerRequestUsd),
      ) < 1e-12,
    );
  });

  it("--max-cost refuses a sweep whose worst case is higher (exit 3)", () => {
    const plan = planAwsRun({
      plan: { kind: "grid", sizes: [1024], invocationsPerSize: 100 },
      timeoutSeconds: 900,
      pricing,
    });
    assert.throws(
      () => checkMaxCost(plan, 0.5),
      (error: unknown) => {
        assert.ok(error instanceof GateError);
        assert.equal(error.exitCode, 3);
        assert.match(error.message, /could cost up to \$1\.50\d+ .* above --max-cost \$0\.5/);
        return true;
      },
    );
    assert.doesNotThrow(() => checkMaxCost(plan, 2));
  });
});
