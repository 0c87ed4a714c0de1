// Which Python runs a handler: --python, a virtual environment, python3 on PATH.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { prepareHandler } from "../../../src/emulator/runtimes/index.js";
import { findPythonInterpreter } from "../../../src/emulator/runtimes/python/interpreter.js";
import { UsageError } from "../../../src/errors.js";
import { TEST_PYTHON } from "./prepared-pool.js";
import { missing, taskRoot } from "./runtime-process.js";

const HANDLER = "def lambda_handler(event, context):\n    return None\n";

/** An executable that answers the interpreter query as Python `version` at `path` would. */
function fakePython(dir: string, name: string, version: [number, number, number]): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\necho '["${file}", [${version.join(", ")}]]'\n`);
  chmodSync(file, 0o755);
  return file;
}

function refusal(pattern: RegExp, hint: RegExp) {
  return (error: unknown) =>
    error instanceof UsageError && pattern.test(error.message) && hint.test(error.hint ?? "");
}

describe("finding the Python interpreter", () => {
  let root: ReturnType<typeof taskRoot>;
  let bin: string;
  before(() => {
    root = taskRoot({ "fn/lambda_function.py": HANDLER, "empty/.keep": "" });
    bin = join(root.dir, "bin");
    fakePython(bin, "python3", [3, 11, 9]);
    fakePython(bin, "python3.12", [3, 12, 4]);
    fakePython(join(root.dir, "old"), "python3", [3, 7, 1]);
    fakePython(join(root.dir, "two"), "python", [2, 7, 18]);
  });
  after(() => root?.remove());

  const request = (extra: object = {}) => ({ env: { PATH: bin }, cwd: root.dir, ...extra });

  it("takes python3 on PATH, resolved to the program it runs", async () => {
    const found = await findPythonInterpreter(join(root.dir, "fn"), request());
    assert.deepEqual(found, {
      path: join(bin, "python3"),
      version: "3.11.9",
      minor: "3.11",
      source: "python3 on PATH",
    });
  });

  it("prefers python3.N on PATH when --runtime python3.N asks for it", async () => {
    const found = await findPythonInterpreter(
      join(root.dir, "fn"),
      request({ runtime: "python3.12" }),
    );
    assert.equal(found.version, "3.12.4");
    const fallback = await findPythonInterpreter(
      join(root.dir, "fn"),
      request({ runtime: "python3.13" }),
    );
    assert.equal(fallback.version, "3.11.9");
  });

  it("takes --python first, a path relative to the current directory or a command", async () => {
    const byPath = await findPythonInterpreter(
      join(root.dir, "fn"),
      request({ python: "bin/python3.12" }),
    );
    assert.equal(byPath.version, "3.12.4");
    assert.equal(byPath.source, "--python");
    const byName = await findPythonInterpreter(
      join(root.dir, "fn"),
      request({ python: "python3.12" }),
    );
    assert.equal(byName.path, join(bin, "python3.12"));
  });

  it("says how to point at an interpreter when there is none", async () => {
    await assert.rejects(
      findPythonInterpreter(join(root.dir, "fn"), {
        env: { PATH: join(root.dir, "empty") },
        cwd: root.dir,
      }),
      refusal(/no Python interpreter found \(python3: not found\)/, /--python .*python3 -m venv/),
    );
    await assert.rejects(
      findPythonInterpreter(join(root.dir, "fn"), request({ python: "/no/such/python" })),
      refusal(/--python \/no\/such\/python cannot run the handler: not found/, /--python/),
    );
  });

  it("refuses a Python older than the runtime client needs", async () => {
    await assert.rejects(
      findPythonInterpreter(join(root.dir, "fn"), request({ python: "old/python3" })),
      refusal(/it is Python 3\.7\.1; the runtime client needs Python 3\.8 or newer/, /--python/),
    );
    await assert.rejects(
      findPythonInterpreter(join(root.dir, "fn"), request({ python: "two/python" })),
      refusal(/it is Python 2\.7\.18/, /--python/),
    );
  });

  it("warns, naming both, when the interpreter is not the version --runtime asks for", async () => {
    const prepared = await prepareHandler("fn/lambda_function.lambda_handler", root.dir, {
      ...request({ runtime: "python3.13" }),
    });
    assert.equal(prepared.located.runtime.name, "python3.11");
    assert.equal(prepared.located.runtime.executionEnv, "AWS_Lambda_python3.11");
    assert.equal(prepared.warnings.length, 1);
    assert.match(
      prepared.warnings[0] ?? "",
      /^--runtime python3\.13 was asked for, but the local interpreter is Python 3\.11\.9 \(.*python3, python3 on PATH\): ran it as python3\.11.*give --python a Python 3\.13 interpreter/,
    );
    const matching = await prepareHandler("fn/lambda_function.lambda_handler", root.dir, {
      ...request({ runtime: "python3.12" }),
    });
    assert.equal(matching.located.runtime.name, "python3.12");
    assert.deepEqual(matching.warnings, []);
  });

  it("warns when the interpreter's version is not one of Lambda's runtimes", async () => {
    fakePython(join(root.dir, "eight"), "python3", [3, 8, 20]);
    const prepared = await prepareHandler("fn/lambda_function.lambda_handler", root.dir, {
      ...request({ python: "eight/python3" }),
    });
    assert.match(
      prepared.warnings[0] ?? "",
      /python3\.8 is not among Lambda's runtimes \(python3\.9, /,
    );
  });

  describe("a virtual environment", { skip: missing(TEST_PYTHON, "python3") }, () => {
    let venvRoot: ReturnType<typeof taskRoot>;
    before(() => {
      venvRoot = taskRoot({
        "fn/lambda_function.py": HANDLER,
        "project/fn/lambda_function.py": HANDLER,
      });
      for (const dir of ["fn/.venv", "project/venv"]) {
        const made = spawnSync(TEST_PYTHON, [
          "-m",
          "venv",
          "--without-pip",
          join(venvRoot.dir, dir),
        ]);
        assert.equal(made.status, 0, String(made.stderr));
      }
    });
    after(() => venvRoot?.remove());

    it("in the task root runs the handler, before python3 on PATH", async () => {
      const found = await findPythonInterpreter(join(venvRoot.dir, "fn"), {
        env: { PATH: bin },
        cwd: venvRoot.dir,
      });
      assert.ok(found.path.startsWith(join(venvRoot.dir, "fn/.venv/bin/")), found.path);
      assert.equal(found.source, "fn/.venv");
    });

    it("in a directory above the task root, up to the current directory, too", async () => {
      const cwd = join(venvRoot.dir, "project");
      const found = await findPythonInterpreter(join(cwd, "fn"), { env: { PATH: bin }, cwd });
      assert.ok(found.path.startsWith(join(cwd, "venv/bin/")), found.path);
      // Not above the current directory.
      const outside = await findPythonInterpreter(join(cwd, "fn"), {
        env: { PATH: bin },
        cwd: join(cwd, "fn"),
      });
      assert.equal(outside.path, join(bin, "python3"));
    });
  });
});
