import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FUNCTIONS, missing, RuntimeProcess } from "./runtime-process.js";

const SHELL = `${FUNCTIONS}provided/shell`;
const skip = missing("curl", "curl") || missing("bash", "bash");
if (skip) console.log(`# skipping the shell custom runtime tests: ${skip}`);

function startShell(handler = "function.handler") {
  // Lambda runs the executable `bootstrap` itself, from the task root.
  return RuntimeProcess.start({
    command: `${SHELL}/bootstrap`,
    args: [],
    taskRoot: SHELL,
    handler,
  });
}

describe("the shell custom runtime (provided) against a real RuntimeApiServer", { skip }, () => {
  it("loops on /next with curl, posting each response, with stderr in the log", async () => {
    const runtime = await startShell();
    try {
      assert.equal((await runtime.init).kind, "ready", runtime.output());
      for (const n of [1, 2, 3]) {
        const result = await runtime.invoke(`{"n": ${n}}`);
        assert.equal(result.kind, "response", runtime.output());
        const body = JSON.parse(result.kind === "response" ? result.body : "");
        assert.deepEqual(body.echo, { n });
        assert.match(body.shell, /^\d+\./);
      }
      assert.match(runtime.output(), /^received \{"n": 2\}$/m);
      assert.equal(runtime.child.exitCode, null);
    } finally {
      await runtime.stop();
    }
  });

  it("posts an error when the handler function fails, and keeps serving", async () => {
    const runtime = await startShell();
    try {
      const failed = await runtime.invoke('{"fail": true}');
      assert.equal(failed.kind, "error");
      assert.equal(failed.kind === "error" && failed.errorType, "Unhandled");
      assert.deepEqual(JSON.parse(failed.kind === "error" ? failed.body : ""), {
        errorMessage: "handler returned status 3",
        errorType: "HandlerError",
        stackTrace: [],
      });
      const next = await runtime.invoke("{}");
      assert.equal(next.kind, "response");
    } finally {
      await runtime.stop();
    }
  });

  for (const [handler, errorType, message] of [
    ["missing.handler", "Runtime.ImportModuleError", /^Cannot find .*\/missing\.sh$/],
    ["function.nope", "Runtime.HandlerNotFound", /^nope is not a function in .*function\.sh$/],
  ] as const) {
    it(`reports ${errorType} to /runtime/init/error for ${handler} and exits`, async () => {
      const runtime = await startShell(handler);
      try {
        const init = await runtime.init;
        assert.equal(init.kind, "init-error", runtime.output());
        if (init.kind !== "init-error") return;
        assert.equal(init.report.errorType, errorType);
        assert.match(JSON.parse(init.report.body).errorMessage, message);
        assert.equal(await runtime.exited, 1);
      } finally {
        await runtime.stop();
      }
    });
  }
});
