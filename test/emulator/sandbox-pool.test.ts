import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseLogTail } from "../../src/logs/parser.js";
import { fixturePool, isRunning } from "./fixture-pool.js";
import { noLimits } from "./no-limits.js";

describe("SandboxPool running fixture handlers in real sandboxes", () => {
  it("starts cold once, then reuses the warm sandbox", async () => {
    const { pool, started } = fixturePool("cpu-bound");
    try {
      const first = await pool.invoke('{"iterations":50}');
      const second = await pool.invoke('{"iterations":50}');
      assert.equal(first.record.status, "success");
      assert.ok((first.record.initDurationMs ?? 0) > 0);
      assert.equal(second.record.initDurationMs, undefined);
      assert.equal(started.length, 1);
      assert.equal((JSON.parse(second.response ?? "") as { iterations: number }).iterations, 50);
      // Since August 2025 a cold start bills ceil(Duration + Init)
      // (docs/lambda-facts.md, "Billing").
      const { durationMs, initDurationMs = 0 } = first.record;
      assert.equal(first.record.billedDurationMs, Math.ceil(durationMs + initDurationMs));
      assert.equal(second.record.billedDurationMs, Math.ceil(second.record.durationMs));
    } finally {
      await pool.release();
    }
  });

  it("with cold: true starts a new sandbox for every invocation; billInit: false bills Duration only", async () => {
    const { pool, started } = fixturePool("noop", { cold: true, billInit: false });
    try {
      const records = [];
      for (let i = 0; i < 3; i++) records.push((await pool.invoke("{}")).record);
      assert.equal(started.length, 3);
      for (const record of records) {
        assert.ok(record.initDurationMs !== undefined);
        assert.equal(record.billedDurationMs, Math.ceil(record.durationMs));
      }
      assert.ok(started.every((sandbox) => !isRunning(sandbox.pid)));
    } finally {
      await pool.release();
    }
  });

  it("writes START, the handler's lines, END and a REPORT line that parses back, in a tail of at most 4 KB", async () => {
    const { pool } = fixturePool("echo-context");
    try {
      const big = JSON.stringify({ filler: "z".repeat(6000) });
      const invocation = await pool.invoke(big);
      const tail = invocation.logTail ?? "";
      assert.ok(Buffer.byteLength(tail) <= 4096);
      assert.match(tail, /END RequestId: [0-9a-f-]{36}\nREPORT RequestId: [^\n]+\t\n$/);
      assert.deepEqual(parseLogTail(tail), invocation.record);

      const small = await pool.invoke('{"a":1}');
      const log = small.logTail ?? "";
      const id = small.record.requestId;
      assert.ok(log.startsWith(`START RequestId: ${id} Version: $LATEST\n`));
      assert.match(
        log,
        new RegExp(`\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${id}\\tINFO\\tevent \\{"a":1\\}\\n`),
      );
    } finally {
      await pool.release();
    }
  });

  it("hands the handler Lambda's context and environment", async () => {
    const { pool } = fixturePool("echo-context", { memoryMb: 512, env: { MY_SETTING: "on" } });
    try {
      const invocation = await pool.invoke('{"x":1}');
      const echoed = JSON.parse(invocation.response ?? "") as {
        event: unknown;
        context: Record<string, unknown>;
        env: Record<string, string>;
        heapLimitMb: number;
      };
      assert.deepEqual(echoed.event, { x: 1 });
      assert.equal(echoed.context.awsRequestId, invocation.record.requestId);
      assert.equal(echoed.context.functionName, "echo-context");
      assert.equal(echoed.context.functionVersion, "$LATEST");
      assert.equal(echoed.context.memoryLimitInMB, "512");
      assert.equal(echoed.context.logGroupName, "/aws/lambda/echo-context");
      assert.equal(echoed.context.callbackWaitsForEmptyEventLoop, true);
      assert.equal(
        echoed.context.hasDone && echoed.context.hasSucceed && echoed.context.hasFail,
        true,
      );
      const remaining = echoed.context.remainingTimeInMillis as number;
      assert.ok(remaining > 0 && remaining <= 3000);
      assert.equal(echoed.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, "512");
      assert.equal(echoed.env.AWS_REGION, "eu-west-1");
      assert.equal(echoed.env.AWS_DEFAULT_REGION, "eu-west-1");
      assert.equal(echoed.env._HANDLER, "index.handler");
      assert.equal(echoed.env.AWS_EXECUTION_ENV, "AWS_Lambda_nodejs20.x");
      assert.equal(echoed.env.AWS_LAMBDA_INITIALIZATION_TYPE, "on-demand");
      assert.equal(echoed.env.TZ, "UTC");
      assert.equal(echoed.env.MY_SETTING, "on");
      // host:port and the sandbox's secret path (runtime-api.ts).
      assert.match(echoed.env.AWS_LAMBDA_RUNTIME_API ?? "", /^127\.0\.0\.1:\d+\/[0-9a-f]{32}$/);
      assert.match(echoed.env._X_AMZN_TRACE_ID ?? "", /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};/);
      assert.ok(echoed.env.LAMBDA_TASK_ROOT?.endsWith("echo-context"));
      // The heap is bounded by the memory size, as Lambda's runtime does (old space 90%, young
      // generation from the 5% semi-space on top), far below V8's default of 2 GB or more.
      assert.ok(echoed.heapLimitMb >= 460 && echoed.heapLimitMb <= 600, `${echoed.heapLimitMb}`);
    } finally {
      await pool.release();
    }
  });

  it("reports a handler that throws as status error, error type Error, Unhandled", async () => {
    const { pool, started } = fixturePool("throws");
    try {
      const invocation = await pool.invoke('{"message":"bad input"}');
      assert.equal(invocation.record.status, "error");
      assert.equal(invocation.record.errorType, "Error");
      assert.equal(invocation.functionError, "Unhandled");
      const body = JSON.parse(invocation.response ?? "") as Record<string, unknown>;
      assert.equal(body.errorType, "Error");
      assert.equal(body.errorMessage, "bad input");
      assert.ok(Array.isArray(body.stackTrace));
      assert.deepEqual(parseLogTail(invocation.logTail ?? ""), invocation.record);
      // The sandbox survives a handler error and serves the next invocation warm.
      const next = await pool.invoke("{}");
      assert.equal(next.record.initDurationMs, undefined);
      assert.equal(started.length, 1);
    } finally {
      await pool.release();
    }
  });

  it("runs a CommonJS callback handler, success and failure", async () => {
    const { pool } = fixturePool("callback", { handler: "index.handler" });
    try {
      const ok = await pool.invoke('{"name":"Ada"}');
      assert.equal(ok.record.status, "success");
      assert.deepEqual(JSON.parse(ok.response ?? ""), { greeting: "hello Ada" });
      const failed = await pool.invoke('{"fail":true}');
      assert.equal(failed.record.status, "error");
      assert.equal(failed.functionError, "Unhandled");
    } finally {
      await pool.release();
    }
  });

  it("kills a sandbox at the timeout, records Duration = timeout, and starts fresh after", async () => {
    const { pool, started } = fixturePool("timeout", { timeoutSeconds: 1 });
    try {
      const timedOut = await pool.invoke('{"ms":10000}');
      assert.equal(timedOut.record.status, "timeout");
      assert.equal(timedOut.record.durationMs, 1000);
      assert.equal(timedOut.functionError, "Unhandled");
      assert.match(timedOut.logTail ?? "", /Task timed out after 1\.00 seconds\n/);
      assert.equal(parseLogTail(timedOut.logTail ?? "")?.status, "timeout");
      assert.equal(isRunning(started[0]?.pid ?? 0), false);

      const quick = await pool.invoke('{"ms":10}');
      assert.equal(quick.record.status, "success");
      assert.ok(quick.record.initDurationMs !== undefined);
      assert.equal(started.length, 2);
    } finally {
      await pool.release();
    }
  });

  it("reports a module that throws at load as an init error record, not a crash", async () => {
    const { pool } = fixturePool("init-error");
    try {
      const invocation = await pool.invoke("{}");
      assert.equal(invocation.record.status, "error");
      assert.equal(invocation.record.errorType, "TypeError");
      assert.equal(invocation.functionError, "Unhandled");
      assert.match(
        invocation.logTail ?? "",
        /INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: TypeError\n/,
      );
      assert.deepEqual(parseLogTail(invocation.logTail ?? ""), invocation.record);
      // The same environment variable the module needs makes it load.
    } finally {
      await pool.release();
    }
    const fixed = fixturePool("init-error", { env: { REQUIRED_SETTING: "1" } });
    try {
      assert.equal((await fixed.pool.invoke("{}")).record.status, "success");
    } finally {
      await fixed.pool.release();
    }
  });

  it("reports Lambda's init error types for a missing export and a missing module", async () => {
    for (const [handler, errorType] of [
      ["index.nothing", "Runtime.HandlerNotFound"],
      ["missing.handler", "Runtime.ImportModuleError"],
    ] as const) {
      const { pool } = fixturePool("noop", { handler });
      try {
        const invocation = await pool.invoke("{}");
        assert.equal(invocation.record.status, "error");
        assert.equal(invocation.record.errorType, errorType);
      } finally {
        await pool.release();
      }
    }
  });

  it("reports Max Memory Used above the memory size only for an out-of-memory record", async () => {
    // A stand-in for a limit group whose peak overshot the size without a kill (seen with the
    // user-space throttle, whose RSS guard acts a moment late): no real part does it on demand.
    const overshooting = async () => ({ ...noLimits(), peakMemoryBytes: () => 300 * 1024 * 1024 });
    const { pool } = fixturePool("noop", { memoryMb: 256, limitGroup: overshooting });
    try {
      const { record } = await pool.invoke("{}");
      assert.equal(record.status, "success");
      assert.equal(record.maxMemoryUsedMB, 256);
    } finally {
      await pool.release();
    }
  });

  it("serves concurrent invocations with up to N sandboxes", async () => {
    const { pool, started } = fixturePool("io-bound", { concurrency: 3 });
    try {
      const invocations = await Promise.all(
        Array.from({ length: 6 }, () => pool.invoke('{"waitMs":200}')),
      );
      assert.ok(invocations.every((invocation) => invocation.record.status === "success"));
      assert.equal(started.length, 3);
      assert.equal(invocations.filter((i) => i.record.initDurationMs !== undefined).length, 3);
    } finally {
      await pool.release();
    }
    assert.ok(started.every((sandbox) => !isRunning(sandbox.pid)));
  });
});
