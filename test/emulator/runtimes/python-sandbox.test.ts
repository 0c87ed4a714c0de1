// The Python runtime in real sandboxes, as the local target runs it: Lambda's
// environment, logs, errors, timeouts, memory and out-of-memory.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import type { LimitBackend } from "../../../src/emulator/limits/types.js";
import { UserSpaceThrottle } from "../../../src/emulator/limits/user-space-throttle.js";
import { parseLogTail } from "../../../src/logs/parser.js";
import { backendOrReason } from "../limits/select.js";
import { preparedPool, TEST_PYTHON } from "./prepared-pool.js";
import { missing, taskRoot } from "./runtime-process.js";

const skip = missing(TEST_PYTHON, "python3");
if (skip) console.log(`# skipping the Python sandbox tests: ${skip}`);

const FIXTURES = "fixtures/functions/python";
const HANDLER = "lambda_function.lambda_handler";

function pythonVersion(): string {
  const result = spawnSync(
    TEST_PYTHON,
    ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
    {
      encoding: "utf8",
    },
  );
  return result.stdout.trim();
}

describe("the Python runtime in real sandboxes", { skip }, () => {
  let root: ReturnType<typeof taskRoot>;
  before(() => {
    root = taskRoot({
      "lambda_function.py": `import logging
logger = logging.getLogger()

def lambda_handler(event, context):
    print("hello from print", event["n"])
    logger.warning("warned while handling %s", event["n"])
    return {"n": event["n"], "remaining": context.get_remaining_time_in_millis() > 0}
`,
    });
  });
  after(() => root?.remove());

  it("runs a handler warm after one cold start, with print and logging between START and END", async () => {
    const { pool, logs, release } = await preparedPool(`${root.dir}/${HANDLER}`);
    try {
      const first = await pool.invoke('{"n": 1}');
      const second = await pool.invoke('{"n": 2}');
      assert.equal(first.record.status, "success", first.response);
      assert.ok((first.record.initDurationMs ?? 0) > 0);
      assert.equal(second.record.initDurationMs, undefined);
      assert.deepEqual(JSON.parse(second.response ?? ""), { n: 2, remaining: true });
      const log = logs[1] ?? "";
      const id = second.record.requestId;
      assert.ok(log.startsWith(`START RequestId: ${id} Version: $LATEST\n`), log);
      assert.match(log, /\nhello from print 2\n/);
      assert.match(
        log,
        new RegExp(`\\n\\[WARNING\\]\\t[\\d:.TZ-]+\\t${id}\\twarned while handling 2\\n`),
      );
      assert.ok(log.indexOf("hello from print") < log.indexOf(`END RequestId: ${id}`));
      assert.deepEqual(parseLogTail(second.logTail ?? ""), second.record);
      assert.match(logs[0] ?? "", /^INIT_START Runtime Version: python:3\.\d+\.v0/);
    } finally {
      await release();
    }
  });

  it("sets AWS_EXECUTION_ENV from the interpreter's version, the function's own variables, and no credentials", async () => {
    const { pool, prepared, release } = await preparedPool(`${FIXTURES}/env/${HANDLER}`, {
      env: { TABLE_NAME: "orders", STAGE: "test" },
    });
    try {
      const result = await pool.invoke("{}");
      const body = JSON.parse(result.response ?? "");
      const minor = pythonVersion();
      assert.equal(prepared.located.runtime.name, `python${minor}`);
      assert.equal(body.lambda.AWS_EXECUTION_ENV, `AWS_Lambda_python${minor}`);
      assert.equal(body.TABLE_NAME, "orders");
      assert.equal(body.STAGE, "test");
      assert.equal(body.lambda.AWS_LAMBDA_FUNCTION_NAME, "test-function");
      assert.equal(body.lambda._HANDLER, HANDLER);
      assert.equal(body.credentials, false);
    } finally {
      await release();
    }
  });

  it("reports an exception as Lambda's Python runtime does, and keeps the sandbox", async () => {
    const { pool, release } = await preparedPool(`${FIXTURES}/throws/${HANDLER}`);
    try {
      const failed = await pool.invoke('{"message": "bad order"}');
      assert.equal(failed.record.status, "error");
      assert.equal(failed.record.errorType, "ValueError");
      assert.equal(failed.functionError, "Unhandled");
      const body = JSON.parse(failed.response ?? "");
      assert.deepEqual(Object.keys(body), ["errorMessage", "errorType", "requestId", "stackTrace"]);
      assert.equal(body.errorMessage, "bad order");
      assert.equal(body.requestId, failed.record.requestId);
      assert.ok(body.stackTrace.every((line: unknown) => typeof line === "string"));
      assert.match(body.stackTrace.join(""), /lambda_function\.py/);
      const again = await pool.invoke("{}");
      assert.equal(again.record.initDurationMs, undefined, "the same sandbox served it");
    } finally {
      await release();
    }
  });

  it("ends a call that runs into the timeout, and starts a new sandbox for the next", async () => {
    const { pool, release } = await preparedPool(`${FIXTURES}/timeout/${HANDLER}`, {
      timeoutSeconds: 1,
    });
    try {
      const slow = await pool.invoke('{"ms": 5000}');
      assert.equal(slow.record.status, "timeout");
      assert.equal(slow.record.durationMs, 1000);
      const quick = await pool.invoke('{"ms": 10}');
      assert.equal(quick.record.status, "success");
      assert.ok(quick.record.initDurationMs !== undefined, "a new sandbox, so a cold start");
      assert.equal(pool.sandboxesStarted, 2);
    } finally {
      await release();
    }
  });

  it("reports an exception at import per call as an init error of its type, which the environment fixes", async () => {
    const failing = await preparedPool(`${FIXTURES}/init-error/${HANDLER}`);
    try {
      const failed = await failing.pool.invoke("{}");
      assert.equal(failed.record.status, "error");
      assert.equal(failed.record.errorType, "KeyError");
      assert.match(
        failing.logs[0] ?? "",
        /INIT_REPORT Init Duration: .*\tStatus: error\tError Type: KeyError/,
      );
    } finally {
      await failing.release();
    }
    const fixed = await preparedPool(`${FIXTURES}/init-error/${HANDLER}`, {
      env: { REQUIRED_SETTING: "on" },
    });
    try {
      const result = await fixed.pool.invoke("{}");
      assert.equal(result.record.status, "success");
      assert.deepEqual(JSON.parse(result.response ?? ""), { setting: "on" });
    } finally {
      await fixed.release();
    }
  });

  it("reports Max Memory Used from the sandbox's own peak", async () => {
    const { pool, release } = await preparedPool(`${FIXTURES}/memory-hungry/${HANDLER}`);
    try {
      const result = await pool.invoke('{"mb": 80}');
      assert.equal(result.record.status, "success");
      assert.ok(result.record.maxMemoryUsedMB >= 80, `${result.record.maxMemoryUsedMB} MB`);
      assert.ok(result.record.maxMemoryUsedMB < 256, `${result.record.maxMemoryUsedMB} MB`);
    } finally {
      await release();
    }
  });

  it("runs a handler that starts processes of its own", async () => {
    const { pool, release } = await preparedPool(`${FIXTURES}/multi-process/${HANDLER}`);
    try {
      const result = await pool.invoke('{"processes": 2, "iterations": 20}');
      assert.equal(result.record.status, "success", result.response);
      assert.equal(JSON.parse(result.response ?? "").digests.length, 2);
    } finally {
      await release();
    }
  });

  describe("out of memory", () => {
    async function outOfMemory(isolation: LimitBackend): Promise<void> {
      const { pool, release } = await preparedPool(`${FIXTURES}/memory-hungry/${HANDLER}`, {
        memoryMb: 128,
        isolation,
      });
      try {
        const oom = await pool.invoke('{"mb": 300}');
        assert.equal(oom.record.status, "error");
        assert.equal(oom.record.errorType, "Runtime.OutOfMemory");
        assert.ok(oom.record.maxMemoryUsedMB >= 128, `${oom.record.maxMemoryUsedMB} MB`);
        assert.equal(oom.functionError, "Unhandled");
        const small = await pool.invoke('{"mb": 5}');
        assert.equal(small.record.status, "success");
        assert.ok(small.record.maxMemoryUsedMB < 128);
      } finally {
        await release();
      }
    }

    it("is Runtime.OutOfMemory under the cgroup's memory limit", async (t) => {
      const backend = await backendOrReason("cgroup-v1");
      if (typeof backend === "string") return t.skip(backend);
      try {
        await outOfMemory(backend);
      } finally {
        await backend.dispose();
      }
    });

    it("is Runtime.OutOfMemory under the user-space throttle's RSS guard", {
      skip: process.platform !== "linux",
    }, async () => {
      const backend = new UserSpaceThrottle({ hostCores: 2 });
      try {
        await outOfMemory(backend);
      } finally {
        await backend.dispose();
      }
    });
  });
});
