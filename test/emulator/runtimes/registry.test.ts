// Which runtime a handler spec names, and where its task root is.
import assert from "node:assert/strict";
import { chmodSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  checkRuntimeName,
  findHandler,
  runtimeNames,
} from "../../../src/emulator/runtimes/index.js";
import { UsageError } from "../../../src/errors.js";
import { ROOT } from "./prepared-pool.js";
import { taskRoot } from "./runtime-process.js";

function found(spec: string, cwd = ROOT, runtime?: string) {
  const site = findHandler(spec, cwd, runtime);
  if (site === undefined) return undefined;
  return { family: site.family.label, taskRoot: site.taskRoot, handler: site.handler };
}

describe("the runtime registry", () => {
  let root: ReturnType<typeof taskRoot>;
  before(() => {
    root = taskRoot({
      "app/pkg/__init__.py": "",
      "app/pkg/mod.py": "def fn(event, context):\n    return 1\n",
      "app/plain/lambda_function.py": "def lambda_handler(event, context):\n    return 1\n",
      "both/index.js": "export const handler = async () => 1;\n",
      "both/index.ts": "export const handler = async () => 1;\n",
      "custom/bootstrap": "#!/bin/sh\nexit 0\n",
      "typed/handler.mts": "export const handler = async () => 1;\n",
      "typed/legacy.cts": "export const handler = async () => 1;\n",
    });
    chmodSync(join(root.dir, "custom/bootstrap"), 0o755);
  });
  after(() => root?.remove());

  it("knows Lambda's runtime names and refuses others, listing them", () => {
    assert.deepEqual(runtimeNames(), [
      "nodejs20.x",
      "nodejs22.x",
      "python3.9",
      "python3.10",
      "python3.11",
      "python3.12",
      "python3.13",
      "provided.al2023",
      "provided.al2",
    ]);
    assert.equal(checkRuntimeName("--runtime", "python3.12"), "python3.12");
    assert.throws(
      () => checkRuntimeName("--runtime", "python3.99"),
      (error: unknown) =>
        error instanceof UsageError &&
        /unknown --runtime 'python3\.99'/.test(error.message) &&
        /nodejs20\.x, nodejs22\.x, python3\.9, .*provided\.al2023/.test(error.hint ?? ""),
    );
  });

  it("tells the runtime from the handler's file", () => {
    assert.equal(found("fixtures/functions/cpu-bound/index.handler")?.family, "Node.js");
    assert.equal(found("fixtures/functions/typescript/index.handler")?.family, "TypeScript");
    assert.equal(found("typed/handler.handler", root.dir)?.family, "TypeScript");
    assert.equal(found("typed/legacy.handler", root.dir)?.family, "TypeScript");
    assert.equal(
      found("fixtures/functions/python/cpu-bound/lambda_function.lambda_handler")?.family,
      "Python",
    );
    assert.equal(
      found("fixtures/functions/provided/shell/function.handler")?.family,
      "custom runtime",
    );
    // Compiled JavaScript beside its source runs, as Lambda would run it.
    assert.equal(found("both/index.handler", root.dir)?.family, "Node.js");
  });

  it("makes a Python module's directory its task root, or the directory above its packages", () => {
    assert.deepEqual(found("fixtures/functions/python/noop/lambda_function.lambda_handler"), {
      family: "Python",
      taskRoot: join(ROOT, "fixtures/functions/python/noop"),
      handler: "lambda_function.lambda_handler",
    });
    assert.deepEqual(found("app/pkg/mod.fn", root.dir), {
      family: "Python",
      taskRoot: join(root.dir, "app"),
      handler: "pkg/mod.fn",
    });
    assert.deepEqual(found("pkg.mod.fn", join(root.dir, "app")), {
      family: "Python",
      taskRoot: join(root.dir, "app"),
      handler: "pkg/mod.fn",
    });
    // Never above the current directory for a relative spec.
    assert.deepEqual(found("mod.fn", join(root.dir, "app/pkg")), {
      family: "Python",
      taskRoot: join(root.dir, "app/pkg"),
      handler: "mod.fn",
    });
    assert.deepEqual(found(join(root.dir, "app/plain/lambda_function.lambda_handler"), "/"), {
      family: "Python",
      taskRoot: join(root.dir, "app/plain"),
      handler: "lambda_function.lambda_handler",
    });
  });

  it("takes a custom runtime as its bootstrap, its directory, or the directory and a handler", () => {
    const custom = join(root.dir, "custom");
    for (const spec of ["custom/bootstrap", "custom", "custom/"]) {
      assert.deepEqual(found(spec, root.dir), {
        family: "custom runtime",
        taskRoot: custom,
        handler: "bootstrap",
      });
    }
    assert.deepEqual(found("custom/function.handler", root.dir), {
      family: "custom runtime",
      taskRoot: custom,
      handler: "function.handler",
    });
    assert.equal(found("bootstrap", custom)?.family, "custom runtime");
    // A bare word next to a bootstrap may be a deployed function's name.
    assert.equal(found("my-function", custom), undefined);
  });

  it("offers the spec only to the family --runtime names", () => {
    assert.equal(found("custom", root.dir, "provided.al2023")?.family, "custom runtime");
    assert.equal(found("custom", root.dir, "python3.12"), undefined);
    assert.equal(found("both/index.handler", root.dir, "python3.12"), undefined);
    assert.equal(found("both/index.handler", root.dir, "nodejs22.x")?.family, "Node.js");
    assert.equal(
      found("fixtures/functions/python/noop/lambda_function.lambda_handler", ROOT, "nodejs20.x"),
      undefined,
    );
  });

  it("finds nothing for a deployed function's name, an ARN or a missing file", () => {
    for (const spec of [
      "my-deployed-function",
      "arn:aws:lambda:us-east-1:123456789012:function:f",
      "fixtures/functions/cpu-bound/nope.handler",
      "fixtures/functions/python/noop/nope.lambda_handler",
    ]) {
      assert.equal(found(spec), undefined, spec);
    }
  });
});
