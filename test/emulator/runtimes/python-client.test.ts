import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { FUNCTIONS, missing, RuntimeProcess, taskRoot } from "./runtime-process.js";

const PYTHON = process.env.LAMBDA_TUNE_TEST_PYTHON ?? "python3";
const BOOTSTRAP = fileURLToPath(
  new URL("../../../src/emulator/runtimes/python/bootstrap.py", import.meta.url),
);
const skip = missing(PYTHON, "python3");
if (skip) console.log(`# skipping the Python runtime client tests: ${skip}`);

const PYTHON_FIXTURES = `${FUNCTIONS}python/`;
const HANDLER = "lambda_function.lambda_handler";

function startPython(dir: string, handler = HANDLER, env: Record<string, string> = {}) {
  return RuntimeProcess.start({ command: PYTHON, args: [BOOTSTRAP], taskRoot: dir, handler, env });
}

/** Starts the runtime and expects its init to fail: the report, the exit code and the log. */
async function initFailure(dir: string, handler = HANDLER) {
  const runtime = await startPython(dir, handler);
  try {
    const init = await runtime.init;
    assert.equal(init.kind, "init-error", runtime.output());
    const code = await runtime.exited;
    if (init.kind !== "init-error") throw new Error("unreachable");
    return { report: init.report, body: JSON.parse(init.report.body), code, log: runtime.output() };
  } finally {
    await runtime.stop();
  }
}

function probe(dir: string, handler: string): { status: number | null; last: unknown } {
  const result = spawnSync(PYTHON, [BOOTSTRAP, "--probe", dir, handler], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, LAMBDA_TASK_ROOT: dir },
  });
  const lines = result.stdout.trimEnd().split("\n");
  return { status: result.status, last: JSON.parse(lines.at(-1) ?? "") };
}

// A handler that returns what Lambda handed it, for the context tests.
const ECHO_CONTEXT = `import logging, os

logger = logging.getLogger()

def lambda_handler(event, context):
    print("printed", event)
    logging.warning("warned via the root logger")
    logging.info("not shown: the root logger stays at WARNING")
    ci = context.client_context
    return {
        "aws_request_id": context.aws_request_id,
        "function_name": context.function_name,
        "function_version": context.function_version,
        "invoked_function_arn": context.invoked_function_arn,
        "memory_limit_in_mb": context.memory_limit_in_mb,
        "log_group_name": context.log_group_name,
        "log_stream_name": context.log_stream_name,
        "identity": [context.identity.cognito_identity_id, context.identity.cognito_identity_pool_id],
        "client_context": None if ci is None else {"custom": ci.custom, "env": ci.env,
            "installation_id": ci.client.installation_id if ci.client else None},
        "remaining": context.get_remaining_time_in_millis(),
        "trace_id": os.environ.get("_X_AMZN_TRACE_ID"),
    }
`;

describe("the Python runtime client against a real RuntimeApiServer", { skip }, () => {
  let roots: ReturnType<typeof taskRoot>;
  before(() => {
    roots = taskRoot({
      "echo/lambda_function.py": ECHO_CONTEXT,
      "logs/lambda_function.py": `import logging, sys
logger = logging.getLogger()
logger.setLevel(logging.INFO)

def lambda_handler(event, context):
    print("hello from print")
    sys.stderr.write("to stderr\\n")
    logger.info("info after setLevel")
    return "done"
`,
      "nested/pkg/mod.py": "def fn(event, context):\n    return {'from': __name__}\n",
      "nested/bootstrap.py":
        "# The user's own module named like the runtime client.\ndef handler(event, context):\n    return 'user bootstrap'\n",
      "missing-dependency/lambda_function.py":
        "import requests_not_installed\n\ndef lambda_handler(event, context):\n    return 1\n",
      "syntax/lambda_function.py": "def lambda_handler(event, context)\n    return 1\n",
      "empty/.keep": "",
      "values/lambda_function.py": `import decimal

def lambda_handler(event, context):
    kind = event["kind"]
    if kind == "set":
        return {1, 2}
    if kind == "bytes":
        return b"raw bytes"
    if kind == "decimal":
        return {"price": decimal.Decimal("12.50"), "count": decimal.Decimal("3")}
    return {"text": "caf\\u00e9"}
`,
    });
  });
  after(() => roots.remove());

  it("starts, parks on /next, and posts the JSON of each return value over one process", async () => {
    const runtime = await startPython(`${PYTHON_FIXTURES}cpu-bound`);
    try {
      const init = await runtime.init;
      assert.equal(init.kind, "ready", runtime.output());
      const first = await runtime.invoke('{"iterations": 10}');
      assert.equal(first.kind, "response");
      const body = JSON.parse(first.kind === "response" ? first.body : "") as {
        iterations: number;
        digest: string;
      };
      assert.equal(body.iterations, 10);
      assert.match(body.digest, /^[0-9a-f]{64}$/);
      const second = await runtime.invoke('{"iterations": 10}');
      assert.deepEqual(second.kind === "response" && JSON.parse(second.body), body);
      assert.equal(runtime.child.exitCode, null);
    } finally {
      await runtime.stop();
    }
  });

  it("posts `null` for a handler that returns None", async () => {
    const runtime = await startPython(`${PYTHON_FIXTURES}noop`);
    try {
      const result = await runtime.invoke("{}");
      assert.deepEqual(result.kind === "response" && result.body, "null");
    } finally {
      await runtime.stop();
    }
  });

  it("reports a raised exception as Lambda's Python runtime does, and keeps serving", async () => {
    const runtime = await startPython(`${PYTHON_FIXTURES}throws`);
    try {
      const result = await runtime.invoke('{"message": "bad input"}');
      assert.equal(result.kind, "error");
      if (result.kind !== "error") return;
      // The type comes from Lambda-Runtime-Function-Error-Type, and the body says the same.
      assert.equal(result.errorType, "ValueError");
      const body = JSON.parse(result.body) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body), ["errorMessage", "errorType", "requestId", "stackTrace"]);
      assert.equal(body.errorMessage, "bad input");
      assert.equal(body.errorType, "ValueError");
      assert.equal(body.requestId, result.requestId);
      const stackTrace = body.stackTrace as unknown[];
      assert.ok(stackTrace.length >= 1 && stackTrace.every((line) => typeof line === "string"));
      // The trace starts in the handler, not in the runtime client.
      assert.match(String(stackTrace[0]), /lambda_function\.py", line \d+, in lambda_handler/);
      assert.doesNotMatch(stackTrace.join(""), /bootstrap\.py/);

      const log = runtime.output();
      assert.match(log, /about to fail for \{"message": "bad input"\}\n/);
      assert.match(
        log,
        /\[ERROR\] ValueError: bad input\nTraceback \(most recent call last\):\n\u00a0\u00a0File "[^"]+lambda_function\.py", line \d+, in lambda_handler\n/,
      );
      const again = await runtime.invoke("{}");
      assert.equal(
        again.kind === "error" && JSON.parse(again.body).errorMessage,
        "something went wrong",
      );
    } finally {
      await runtime.stop();
    }
  });

  describe("init errors go to /runtime/init/error with Lambda's types, and the runtime exits 1", () => {
    it("module not found: Runtime.ImportModuleError", async () => {
      const { report, body, code, log } = await initFailure(`${roots.dir}/empty`);
      assert.equal(report.errorType, "Runtime.ImportModuleError");
      assert.equal(
        body.errorMessage,
        "Unable to import module 'lambda_function': No module named 'lambda_function'",
      );
      assert.deepEqual(body, {
        ...body,
        errorType: "Runtime.ImportModuleError",
        requestId: "",
        stackTrace: [],
      });
      assert.equal(code, 1);
      assert.match(log, /^\[WARNING\]\t[\dT:.-]+Z\t\tLAMBDA_WARNING: Unhandled exception\./m);
      assert.match(
        log,
        /^\[ERROR\] Runtime\.ImportModuleError: Unable to import module 'lambda_function'/m,
      );
    });

    it("a dependency the module imports is missing: Runtime.ImportModuleError naming it", async () => {
      const { report, body } = await initFailure(`${roots.dir}/missing-dependency`);
      assert.equal(report.errorType, "Runtime.ImportModuleError");
      assert.equal(
        body.errorMessage,
        "Unable to import module 'lambda_function': No module named 'requests_not_installed'",
      );
    });

    it("handler function missing: Runtime.HandlerNotFound", async () => {
      const { report, body } = await initFailure(
        `${PYTHON_FIXTURES}noop`,
        "lambda_function.handler",
      );
      assert.equal(report.errorType, "Runtime.HandlerNotFound");
      assert.equal(body.errorMessage, "Handler 'handler' missing on module 'lambda_function'");
    });

    it("syntax error: Runtime.UserCodeSyntaxError with the file and line", async () => {
      const { report, body } = await initFailure(`${roots.dir}/syntax`);
      assert.equal(report.errorType, "Runtime.UserCodeSyntaxError");
      assert.match(
        body.errorMessage,
        /^Syntax error in module 'lambda_function': .*\(lambda_function\.py, line 1\)$/,
      );
      assert.match(
        body.stackTrace[0],
        /^ {2}File ".+lambda_function\.py" Line 1\n {4}def lambda_handler/,
      );
    });

    it("an exception raised at import keeps its own type, and the trace reaches the module", async () => {
      const { report, body, log } = await initFailure(`${PYTHON_FIXTURES}init-error`);
      assert.equal(report.errorType, "KeyError");
      assert.equal(body.errorMessage, "'REQUIRED_SETTING'");
      assert.equal(body.requestId, "");
      assert.ok(
        body.stackTrace.some((line: string) =>
          /lambda_function\.py", line \d+, in <module>/.test(line),
        ),
      );
      assert.match(log, /^\[ERROR\] KeyError: 'REQUIRED_SETTING'$/m);
    });

    it("the same module loads when the function's environment has the setting", async () => {
      const runtime = await startPython(`${PYTHON_FIXTURES}init-error`, HANDLER, {
        REQUIRED_SETTING: "on",
      });
      try {
        const result = await runtime.invoke("{}");
        assert.equal(result.kind === "response" && result.body, '{"setting": "on"}');
      } finally {
        await runtime.stop();
      }
    });

    it("malformed handler name: Runtime.MalformedHandlerName", async () => {
      const { report, body } = await initFailure(`${PYTHON_FIXTURES}noop`, "lambda_function");
      assert.equal(report.errorType, "Runtime.MalformedHandlerName");
      assert.equal(
        body.errorMessage,
        "Bad handler 'lambda_function': not enough values to unpack (expected 2, got 1)",
      );
    });

    it("a built-in module as the handler module: Runtime.BuiltInModuleConflict", async () => {
      const { report, body } = await initFailure(`${PYTHON_FIXTURES}noop`, "sys.exit");
      assert.equal(report.errorType, "Runtime.BuiltInModuleConflict");
      assert.equal(body.errorMessage, "Cannot use built-in module sys as a handler module");
    });
  });

  it("hands the handler a context with Lambda's attributes, and _X_AMZN_TRACE_ID per invocation", async () => {
    const runtime = await startPython(`${roots.dir}/echo`);
    try {
      const deadlineMs = Date.now() + 5000;
      const result = await runtime.invoke('{"n": 1}', {
        requestId: "8476a536-e9f4-11e8-9739-2dfe598c3fcd",
        deadlineMs,
        traceId: "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1",
        clientContext: JSON.stringify({
          client: { installation_id: "install-1", app_title: "app" },
          custom: { tier: "gold" },
          env: { locale: "en" },
        }),
        cognitoIdentity: JSON.stringify({
          cognitoIdentityId: "id-1",
          cognitoIdentityPoolId: "pool-1",
        }),
      });
      assert.equal(result.kind, "response", result.kind === "error" ? result.body : "");
      const context = JSON.parse(result.kind === "response" ? result.body : "");
      assert.equal(context.aws_request_id, "8476a536-e9f4-11e8-9739-2dfe598c3fcd");
      assert.equal(context.function_name, "my-function");
      assert.equal(context.function_version, "$LATEST");
      assert.equal(
        context.invoked_function_arn,
        "arn:aws:lambda:eu-west-1:000000000000:function:my-function",
      );
      // A string, as on Lambda, where it is read from the environment.
      assert.equal(context.memory_limit_in_mb, "256");
      assert.equal(context.log_group_name, "/aws/lambda/my-function");
      assert.equal(context.log_stream_name, "2025/01/01/[$LATEST]0123456789abcdef");
      assert.deepEqual(context.identity, ["id-1", "pool-1"]);
      assert.deepEqual(context.client_context, {
        custom: { tier: "gold" },
        env: { locale: "en" },
        installation_id: "install-1",
      });
      assert.ok(context.remaining > 0 && context.remaining <= 5000, `${context.remaining}`);
      assert.match(context.trace_id, /^Root=1-5bef4de7/);

      // Without the optional headers: no client context, an identity of Nones, no trace id.
      const bare = await runtime.invoke("{}", { deadlineMs: Date.now() - 1000 });
      const second = JSON.parse(bare.kind === "response" ? bare.body : "");
      assert.equal(second.client_context, null);
      assert.deepEqual(second.identity, [null, null]);
      assert.equal(second.trace_id, null);
      assert.equal(second.remaining, 0);
    } finally {
      await runtime.stop();
    }
  });

  it("writes print and root-logger lines with the request id before the invocation ends", async () => {
    const runtime = await startPython(`${roots.dir}/echo`);
    try {
      const result = await runtime.invoke('{"n": 2}', { requestId: "req-logs-1" });
      assert.equal(result.kind, "response");
      // Read when the response arrived: buffered output would still be in the process.
      const log = runtime.output();
      assert.match(log, /^printed \{'n': 2\}$/m);
      assert.match(
        log,
        /^\[WARNING\]\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\treq-logs-1\twarned via the root logger$/m,
      );
      assert.doesNotMatch(log, /not shown/);
    } finally {
      await runtime.stop();
    }
  });

  it("shows logging.info once the handler sets the level, and stderr too", async () => {
    const runtime = await startPython(`${roots.dir}/logs`);
    try {
      const result = await runtime.invoke("{}", { requestId: "req-logs-2" });
      assert.equal(result.kind === "response" && result.body, '"done"');
      const log = runtime.output();
      assert.match(log, /^hello from print$/m);
      assert.match(log, /^to stderr$/m);
      assert.match(log, /^\[INFO\]\t[\dT:.-]+Z\treq-logs-2\tinfo after setLevel$/m);
    } finally {
      await runtime.stop();
    }
  });

  it("imports `dir/module.function` handlers, with the task root first on sys.path", async () => {
    for (const [handler, expected] of [
      ["pkg/mod.fn", '{"from": "pkg.mod"}'],
      ["pkg.mod.fn", '{"from": "pkg.mod"}'],
      // The user's bootstrap.py, not the runtime client's.
      ["bootstrap.handler", '"user bootstrap"'],
    ]) {
      const runtime = await startPython(`${roots.dir}/nested`, handler);
      try {
        const result = await runtime.invoke("{}");
        assert.equal(
          result.kind === "response" && result.body,
          expected,
          `${handler}: ${runtime.output()}`,
        );
      } finally {
        await runtime.stop();
      }
    }
    const { body } = await initFailure(`${roots.dir}/nested`, "pkg/other.fn");
    assert.equal(
      body.errorMessage,
      "Unable to import module 'pkg/other': No module named 'pkg.other'",
    );
  });

  it("marshals return values as awslambdaric does", async () => {
    const runtime = await startPython(`${roots.dir}/values`);
    try {
      const set = await runtime.invoke('{"kind": "set"}');
      assert.equal(set.kind === "error" && set.errorType, "Runtime.MarshalError");
      assert.equal(
        set.kind === "error" && JSON.parse(set.body).errorMessage,
        "Unable to marshal response: Object of type set is not JSON serializable",
      );
      const bytes = await runtime.invoke('{"kind": "bytes"}');
      assert.equal(bytes.kind === "response" && bytes.body, "raw bytes");
      const decimal = await runtime.invoke('{"kind": "decimal"}');
      assert.equal(decimal.kind === "response" && decimal.body, '{"price": 12.5, "count": 3}');
      const text = await runtime.invoke('{"kind": "text"}');
      assert.equal(text.kind === "response" && text.body, '{"text": "caf\\u00e9"}');
      const broken = await runtime.invoke("not json");
      assert.equal(broken.kind === "error" && broken.errorType, "Runtime.UnmarshalError");
    } finally {
      await runtime.stop();
    }
  });

  it("runs the shipped Python fixtures", async () => {
    const cases: [string, string, Record<string, string>, (body: string) => void][] = [
      ["io-bound", '{"waitMs": 10}', {}, (body) => assert.equal(body, '{"waitedMs": 10}')],
      ["timeout", '{"ms": 10}', {}, (body) => assert.equal(body, '"finished"')],
      ["memory-hungry", '{"mb": 5}', {}, (body) => assert.equal(JSON.parse(body).allocatedMb, 5)],
      [
        "multi-process",
        '{"processes": 2, "iterations": 10}',
        {},
        (body) => {
          const { digests } = JSON.parse(body) as { digests: string[] };
          assert.equal(digests.length, 2);
          assert.equal(digests[0], digests[1]);
        },
      ],
      [
        "env",
        "{}",
        { TABLE_NAME: "orders", STAGE: "test", AWS_SECRET_ACCESS_KEY: "x", AWS_ACCESS_KEY_ID: "y" },
        (body) => {
          const echoed = JSON.parse(body);
          assert.equal(echoed.TABLE_NAME, "orders");
          assert.equal(echoed.STAGE, "test");
          assert.equal(echoed.credentials, true);
          assert.equal(echoed.lambda.AWS_SECRET_ACCESS_KEY, undefined);
          assert.equal(echoed.lambda.AWS_LAMBDA_FUNCTION_NAME, "my-function");
        },
      ],
    ];
    for (const [fixture, payload, env, check] of cases) {
      const runtime = await startPython(`${PYTHON_FIXTURES}${fixture}`, HANDLER, env);
      try {
        const result = await runtime.invoke(payload);
        assert.equal(result.kind, "response", `${fixture}: ${runtime.output()}`);
        check(result.kind === "response" ? result.body : "");
      } finally {
        await runtime.stop();
      }
    }
  });

  describe("probe mode", () => {
    it("prints {ok: true} as the last line for a handler that imports", () => {
      assert.deepEqual(probe(`${PYTHON_FIXTURES}noop`, HANDLER), { status: 0, last: { ok: true } });
      assert.deepEqual(probe(`${roots.dir}/nested`, "pkg/mod.fn"), {
        status: 0,
        last: { ok: true },
      });
    });

    it("prints Lambda's error type and message for a handler that cannot run", () => {
      const cases: [string, string, string, RegExp][] = [
        [
          `${roots.dir}/empty`,
          HANDLER,
          "Runtime.ImportModuleError",
          /^Unable to import module 'lambda_function'/,
        ],
        [
          `${PYTHON_FIXTURES}noop`,
          "lambda_function.nope",
          "Runtime.HandlerNotFound",
          /^Handler 'nope' missing/,
        ],
        [`${roots.dir}/syntax`, HANDLER, "Runtime.UserCodeSyntaxError", /^Syntax error in module/],
        [`${PYTHON_FIXTURES}init-error`, HANDLER, "KeyError", /^'REQUIRED_SETTING'$/],
        [
          `${PYTHON_FIXTURES}noop`,
          "lambda_function",
          "Runtime.MalformedHandlerName",
          /^Bad handler/,
        ],
        // Lambda would load it and fail every invocation (TypeError): refused before a sweep.
        [
          `${PYTHON_FIXTURES}noop`,
          "lambda_function.SETTINGS",
          "Runtime.HandlerNotFound",
          /'dict' object is not callable/,
        ],
      ];
      for (const [dir, handler, errorType, message] of cases) {
        const { status, last } = probe(dir, handler);
        assert.equal(status, 0);
        const result = last as { ok: boolean; errorType: string; errorMessage: string };
        assert.equal(result.ok, false, handler);
        assert.equal(result.errorType, errorType, handler);
        assert.match(result.errorMessage, message, handler);
      }
    });

    it("keeps the JSON line last when the module prints while it loads", () => {
      const root = taskRoot({
        "lambda_function.py": 'print("loading", end="")\ndef lambda_handler(e, c):\n    pass\n',
      });
      try {
        const result = spawnSync(PYTHON, [BOOTSTRAP, "--probe", root.dir, HANDLER], {
          encoding: "utf8",
        });
        assert.equal(result.stdout, 'loading\n{"ok": true}\n');
      } finally {
        root.remove();
      }
    });
  });
});
