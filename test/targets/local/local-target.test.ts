// @serial: it measures CPU time or memory under real limits, so it runs alone (scripts/run-tests.mjs).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { liveProcessGroups } from "../../../src/emulator/cleanup.js";
import { NoLimits } from "../../../src/emulator/limits/none.js";
import type { LimitBackend } from "../../../src/emulator/limits/types.js";
import { UsageError } from "../../../src/errors.js";
import { parseLogTail } from "../../../src/logs/parser.js";
import {
  createLocalTarget,
  isLocalHandlerSpec,
  isolationWarnings,
} from "../../../src/targets/local/index.js";
import { isRunning } from "../../emulator/fixture-pool.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

function target(handler: string, extra: Partial<Parameters<typeof createLocalTarget>[0]> = {}) {
  return createLocalTarget({
    handler,
    cwd: ROOT,
    isolation: new NoLimits(),
    hostCores: 2,
    timeoutSeconds: 3,
    ...extra,
  });
}

describe("createLocalTarget", () => {
  it("recognises local handler specs", () => {
    assert.equal(isLocalHandlerSpec("fixtures/functions/cpu-bound/index.handler", ROOT), true);
    assert.equal(isLocalHandlerSpec("fixtures/functions/callback/index.handler", ROOT), true);
    assert.equal(isLocalHandlerSpec(`${ROOT}fixtures/functions/noop/index.handler`, "/"), true);
    assert.equal(isLocalHandlerSpec("fixtures/functions/cpu-bound/nope.handler", ROOT), false);
    assert.equal(isLocalHandlerSpec("my-deployed-function", ROOT), false);
    assert.equal(isLocalHandlerSpec("arn:aws:lambda:us-east-1:1:function:f", ROOT), false);
  });

  it("rejects, before any sweep, a missing file, a missing export and an export that is not a function", async () => {
    const cases = [
      ["fixtures/functions/nowhere/index.handler", /no handler file/],
      ["fixtures/functions/noop/index.missing", /Runtime\.HandlerNotFound/],
      ["fixtures/functions/noop/index.settings", /Runtime\.HandlerNotFound/],
    ] as const;
    for (const [handler, message] of cases) {
      const local = target(handler);
      await assert.rejects(local.describe(), (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.equal(error.exitCode, 2);
        assert.match(error.message, message);
        assert.ok(error.hint);
        return true;
      });
      await assert.rejects(local.prepare(128), UsageError);
      await local.restore();
    }
  });

  it("reports a module that throws at load per size, as an init error record", async () => {
    const local = target("fixtures/functions/init-error/index.handler");
    try {
      const info = await local.describe();
      assert.equal(info.isolation, "none");
      const size = await local.prepare(256);
      const invocation = await size.invoke("{}");
      assert.equal(invocation.record.status, "error");
      assert.equal(invocation.record.errorType, "TypeError");
      assert.equal(invocation.record.memorySizeMB, 256);
      await size.release();
    } finally {
      await local.restore();
    }
  });

  it("invokes a handler at a size, and leaves no process behind after restore", async () => {
    const logs: string[] = [];
    const local = target("fixtures/functions/echo-context/index.handler", {
      env: { MY_SETTING: "x" },
      region: "ap-southeast-2",
      onLog: (log) => logs.push(log),
    });
    const info = await local.describe();
    assert.equal(info.name, "fixtures/functions/echo-context/index.handler");
    assert.equal(info.region, "ap-southeast-2");
    assert.equal(info.architecture, process.arch === "arm64" ? "arm64" : "x86_64");
    const size = await local.prepare(1024);
    const first = await size.invoke('{"n":1}');
    const second = await size.invoke('{"n":2}');
    assert.equal(first.record.memorySizeMB, 1024);
    assert.ok(first.record.initDurationMs !== undefined);
    assert.equal(second.record.initDurationMs, undefined);
    assert.deepEqual(parseLogTail(second.logTail ?? ""), second.record);
    const echoed = JSON.parse(second.response ?? "") as {
      context: { functionName: string; invokedFunctionArn: string };
      env: Record<string, string>;
    };
    assert.equal(echoed.context.functionName, "echo-context");
    assert.equal(
      echoed.context.invokedFunctionArn,
      "arn:aws:lambda:ap-southeast-2:000000000000:function:echo-context",
    );
    assert.match(
      echoed.env.AWS_LAMBDA_LOG_STREAM_NAME ?? "",
      /^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/,
    );
    assert.equal(logs.length, 2);
    const sandboxes = liveProcessGroups();
    assert.ok(sandboxes.length >= 1);
    assert.ok(sandboxes.every(isRunning));
    await local.restore();
    assert.ok(sandboxes.every((pid) => !isRunning(pid)));
    assert.deepEqual(liveProcessGroups(), []);
    await assert.rejects(local.prepare(128));
  });

  it("warns when sizes need more cores than the host has, and names a fallback", () => {
    const throttle = {
      kind: "user-space-throttle",
      fallbackReason: "cgroup v2 not writable",
    } as unknown as LimitBackend;
    const [fallback, cores] = isolationWarnings(throttle, 2, [128, 1024, 4096]);
    assert.match(fallback ?? "", /user-space-throttle: cgroup v2 not writable/);
    assert.match(
      cores ?? "",
      /this host has 2 cores, so sizes above 3,538 MB are capped at 2 vCPU/,
    );
    assert.deepEqual(isolationWarnings(throttle, 2, [128, 3538]).length, 1);
    assert.match(
      isolationWarnings(new NoLimits(), 8, [128]).join(),
      /durations do not reflect the memory size/,
    );
  });
});
