// `run` on the local emulator for every runtime, as a user runs it: the built
// CLI, real sandboxes, and every bad input answered with exit 2 and the fix.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { ResultDocument } from "../../src/document/result.js";
import { assertValidResult } from "../document/validate.js";
import { TEST_PYTHON } from "../emulator/runtimes/prepared-pool.js";
import { missing, taskRoot } from "../emulator/runtimes/runtime-process.js";
import { type CliRun, runCli } from "./run-cli.js";

const PY = "fixtures/functions/python";
const HANDLER = "lambda_function.lambda_handler";
const noPython = missing(TEST_PYTHON, "python3");
const noCc = missing("cc", "gcc libc6-dev");
const noShell = missing("curl", "curl") || missing("bash", "bash");
// The interpreter the tests name, so a pyenv shim or another python3 on PATH does not decide.
const PYTHON_FLAG = ["--python", TEST_PYTHON];
// The caller's AWS credentials must not leak in: only --pass-aws-credentials passes them.
const NO_AWS = {
  AWS_ACCESS_KEY_ID: "",
  AWS_SECRET_ACCESS_KEY: "",
  AWS_SESSION_TOKEN: "",
  AWS_PROFILE: "",
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  AWS_EC2_METADATA_DISABLED: "true",
};

/** `run --json`; `code` 1 when every size is expected to fail (nothing to recommend). */
async function runJson(
  args: readonly string[],
  env: Record<string, string> = {},
  code = 0,
): Promise<{ doc: ResultDocument; run: CliRun }> {
  const run = await runCli(["run", ...args, "--json"], { env: { ...NO_AWS, ...env } });
  assert.equal(run.code, code, run.stderr);
  const doc: unknown = JSON.parse(run.stdout);
  assertValidResult(doc);
  return { doc: doc as ResultDocument, run };
}

async function refused(args: readonly string[], message: RegExp, hint?: RegExp, env = {}) {
  const run = await runCli(["run", ...args, "--memory", "128", "-n", "1"], {
    env: { ...NO_AWS, ...env },
  });
  assert.equal(run.code, 2, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stderr, message);
  if (hint !== undefined) assert.match(run.stderr, hint);
  assert.equal(run.stdout, "");
}

function pythonMinor(): string {
  const result = spawnSync(
    TEST_PYTHON,
    ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
    {
      encoding: "utf8",
    },
  );
  return result.stdout.trim();
}

describe("run with a Python handler", { skip: noPython }, () => {
  let root: ReturnType<typeof taskRoot>;
  before(() => {
    root = taskRoot({
      "needs-dep/lambda_function.py":
        "import not_installed_anywhere\n\ndef lambda_handler(e, c):\n    pass\n",
      "syntax/lambda_function.py": "def lambda_handler(event, context)\n    return 1\n",
      "credentials/lambda_function.py": `import os

def lambda_handler(event, context):
    if os.environ.get("AWS_ACCESS_KEY_ID") != "AKIATESTKEY00001234":
        raise RuntimeError("no credentials in the environment")
    return "ok"
`,
      "sam.json": JSON.stringify({ "init-error": { REQUIRED_SETTING: "from SAM" } }),
    });
  });
  after(() => root?.remove());

  it("sweeps with the same table, charts and recommendation as Node.js, naming the runtime", async () => {
    const run = await runCli(
      ["run", `${PY}/cpu-bound/${HANDLER}`, "--memory", "128,512", "-n", "2", ...PYTHON_FLAG],
      { env: { ...NO_AWS, COLUMNS: "120" } },
    );
    assert.equal(run.code, 0, run.stderr);
    const minor = pythonMinor();
    // The header names the runtime and its interpreter (wrapped to the width).
    assert.match(
      run.stdout,
      new RegExp(`local target[ ·\\n]+python${minor.replace(".", "\\.")} \\(`),
    );
    assert.match(run.stdout, /│ memory │ +warm │ median │/);
    assert.match(run.stdout, /median duration \(ms\) by memory \(MB\)/);
    assert.match(run.stdout, /cost per 1M invocations \(USD\) by memory \(MB\)/);
    assert.match(run.stdout, /Recommended: (128|512) MB, timeout \d+ s/);
  });

  it("writes the result document with the runtime and interpreter that ran", async () => {
    const { doc } = await runJson([
      `${PY}/cpu-bound/${HANDLER}`,
      "--memory",
      "256",
      "-n",
      "2",
      "--payload",
      '{"iterations": 20}',
      ...PYTHON_FLAG,
    ]);
    assert.equal(doc.runtime?.name, `python${pythonMinor()}`);
    assert.match(doc.runtime?.interpreter ?? "", /python/);
    assert.match(doc.runtime?.version ?? "", /^3\.\d+\.\d+$/);
    assert.equal(doc.tiers[0]?.errors, 0);
    assert.ok(doc.recommendation !== null);
  });

  it("runs a requested Python version it does not have, with a warning naming both", async () => {
    const other = pythonMinor() === "3.12" ? "python3.13" : "python3.12";
    const { doc } = await runJson([
      `${PY}/noop/${HANDLER}`,
      "--memory",
      "128",
      "-n",
      "1",
      "--runtime",
      other,
      ...PYTHON_FLAG,
    ]);
    assert.equal(doc.runtime?.name, `python${pythonMinor()}`);
    assert.ok(
      doc.warnings.some((w) =>
        w.startsWith(
          `--runtime ${other} was asked for, but the local interpreter is Python ${pythonMinor()}`,
        ),
      ),
      doc.warnings.join("\n"),
    );
  });

  it("reports an exception at import per size, which --env or --env-vars fixes", async () => {
    const spec = `${PY}/init-error/${HANDLER}`;
    const failing = await runJson([spec, "--memory", "128,256", "-n", "1", ...PYTHON_FLAG], {}, 1);
    assert.match(failing.run.stderr, /the first error was KeyError: 'REQUIRED_SETTING'/);
    assert.equal(failing.doc.recommendation, null);
    for (const tier of failing.doc.tiers) assert.deepEqual(tier.errorTypes, { KeyError: 1 });
    for (const fix of [
      ["--env", "STAGE=test", "--env", "REQUIRED_SETTING=on"],
      ["--env-vars", join(root.dir, "sam.json")],
    ]) {
      const fixed = await runJson([spec, "--memory", "128", "-n", "1", ...fix, ...PYTHON_FLAG]);
      assert.equal(fixed.doc.tiers[0]?.errors, 0, fix.join(" "));
    }
  });

  it("passes the caller's AWS credentials only with --pass-aws-credentials, and says so", async () => {
    const caller = {
      AWS_ACCESS_KEY_ID: "AKIATESTKEY00001234",
      AWS_SECRET_ACCESS_KEY: "s3cr3t-value",
    };
    const spec = `${root.dir}/credentials/${HANDLER}`;
    const args = [spec, "--memory", "128", "-n", "1", ...PYTHON_FLAG];
    const without = await runJson(args, caller, 1);
    assert.deepEqual(without.doc.tiers[0]?.errorTypes, { RuntimeError: 1 });
    assert.ok(!without.doc.warnings.some((w) => /credentials/.test(w)));
    const passed = await runJson([...args, "--pass-aws-credentials"], caller);
    assert.equal(passed.doc.tiers[0]?.errors, 0);
    assert.ok(
      passed.doc.warnings.some((w) =>
        /^--pass-aws-credentials: your AWS credentials \(access key …1234, from the SDK's default chain\)/.test(
          w,
        ),
      ),
      passed.doc.warnings.join("\n"),
    );
    assert.ok(!`${passed.run.stdout}${passed.run.stderr}`.includes("s3cr3t-value"));
    await refused(
      [spec, "--pass-aws-credentials"],
      /--pass-aws-credentials found no AWS credentials/,
      /aws configure/,
    );
  });

  for (const [what, args, message, hint, env] of [
    [
      "no Python interpreter",
      [`${PY}/noop/${HANDLER}`],
      /no Python interpreter found \(python3: not found\)/,
      /--python .*python3 -m venv/,
      { PATH: "/nonexistent" },
    ],
    [
      "a handler file that is missing",
      [`${PY}/noop/missing.${HANDLER.split(".")[1]}`],
      /no handler file/,
      /Python: path\/to\/module\.function/,
    ],
    [
      "a module its handler imports that is not installed",
      ["<root>/needs-dep/lambda_function.lambda_handler", ...PYTHON_FLAG],
      /Runtime\.ImportModuleError: Unable to import module 'lambda_function': No module named 'not_installed_anywhere'/,
      /install its dependencies for/,
    ],
    [
      "a handler function that is missing",
      [`${PY}/noop/lambda_function.nope`, ...PYTHON_FLAG],
      /Runtime\.HandlerNotFound: Handler 'nope' missing on module 'lambda_function'/,
      /Define a function nope\(event, context\)/,
    ],
    [
      "a handler that is not a function",
      [`${PY}/noop/lambda_function.SETTINGS`, ...PYTHON_FLAG],
      /Runtime\.HandlerNotFound: 'dict' object is not callable/,
      /Define a function SETTINGS/,
    ],
    [
      "a syntax error in the module",
      ["<root>/syntax/lambda_function.lambda_handler", ...PYTHON_FLAG],
      /Runtime\.UserCodeSyntaxError: Syntax error in module 'lambda_function'/,
      /py_compile/,
    ],
    [
      "an unknown --runtime",
      [`${PY}/noop/${HANDLER}`, "--runtime", "python2.7"],
      /unknown --runtime 'python2\.7'/,
      /use one of Lambda's runtimes: nodejs20\.x, nodejs22\.x, python3\.9, .*provided\.al2023/,
    ],
    [
      "--python that cannot run",
      [`${PY}/noop/${HANDLER}`, "--python", "/no/such/python3"],
      /--python \/no\/such\/python3 cannot run the handler: not found/,
      /--python/,
    ],
  ] as const) {
    it(`refuses ${what} with exit 2`, async () => {
      const resolved = args.map((arg) => arg.replace("<root>", root.dir));
      await refused(resolved, message, hint, env ?? {});
    });
  }
});

describe("run with a TypeScript handler", () => {
  let root: ReturnType<typeof taskRoot>;
  before(() => {
    root = taskRoot({ "broken/index.ts": "export const handler = async (event: {) => 1;\n" });
  });
  after(() => root?.remove());

  it("compiles it once, reports the compile apart, and removes the compiled copy", async () => {
    // A temporary directory of this run's own: other test files compile TypeScript at the same time.
    const scratch = mkdtempSync(join(tmpdir(), "lambda-tune-ts-test-"));
    chmodSync(scratch, 0o755); // sandboxes may run as nobody and read the compiled copy here
    const compiledDirs = () => readdirSync(scratch).filter((n) => n.startsWith("lambda-tune-ts-"));
    const { doc, run } = await runJson(
      [
        "fixtures/functions/typescript/index.handler",
        "--memory",
        "256",
        "-n",
        "2",
        "--payload",
        '{"iterations": 20}',
      ],
      { TMPDIR: scratch },
    );
    assert.match(doc.runtime?.compiler ?? "", /^esbuild /);
    assert.equal(doc.runtime?.name, `nodejs${process.versions.node.split(".")[0]}.x`);
    assert.equal(doc.runtime?.interpreter, process.execPath);
    assert.equal(doc.tiers[0]?.errors, 0);
    assert.match(
      run.stderr,
      /lambda-tune: compiled fixtures\/functions\/typescript\/index\.ts with esbuild \S+ in [\d.]+ ms \(not part of any Init or Duration\)/,
    );
    assert.deepEqual(compiledDirs(), []);
    rmSync(scratch, { recursive: true, force: true });
  });

  it("refuses a TMPDIR where the compiled copy cannot go with exit 2, naming it", async () => {
    // Was "unexpected failure (a bug)" with a stack trace.
    await refused(
      ["fixtures/functions/typescript/index.handler"],
      /cannot create a directory for the compiled TypeScript handler in \/nonexistent-dir \(ENOENT\)/,
      /set TMPDIR to a writable directory/,
      { TMPDIR: "/nonexistent-dir" },
    );
  });

  it("refuses a file with a syntax error with exit 2, naming the line", async () => {
    await refused(
      [`${root.dir}/broken/index.handler`],
      /cannot compile .*index\.ts:\n.*index\.ts:1:\d+: Unexpected "\)"/,
      /Fix the syntax error/,
    );
  });
});

describe("run with a custom runtime", () => {
  let root: ReturnType<typeof taskRoot>;
  before(() => {
    root = taskRoot({
      "not-executable/bootstrap": "#!/bin/sh\nexit 0\n",
      "exits/bootstrap": '#!/bin/sh\necho "cannot start: no config" >&2\nexit 3\n',
    });
    chmodSync(join(root.dir, "exits/bootstrap"), 0o755);
  });
  after(() => root?.remove());

  it("sweeps a shell bootstrap, billing its INIT even with --no-bill-init", {
    skip: noShell,
  }, async () => {
    const { doc } = await runJson([
      "fixtures/functions/provided/shell/function.handler",
      "--memory",
      "1024",
      "-n",
      "1",
      "--no-bill-init",
    ]);
    assert.equal(doc.runtime?.name, "provided.al2023");
    assert.match(
      doc.runtime?.interpreter ?? "",
      /fixtures\/functions\/provided\/shell\/bootstrap$/,
    );
    assert.equal(doc.runtime?.version, undefined);
    const tier = doc.tiers[0];
    assert.ok(tier !== undefined && tier.initDurationMs !== null);
    assert.equal(tier.errors, 0);
    // The sweep's own cost comes from the REPORT line's Billed Duration: Duration + Init.
    const { pricePerGbSecondUsd, pricePerRequestUsd } = doc.pricing;
    const billedMs = ((doc.tuningCost.usd - pricePerRequestUsd) / pricePerGbSecondUsd) * 1000;
    const expected = Math.ceil(tier.durationMs.max + tier.initDurationMs.max);
    assert.ok(Math.abs(billedMs - expected) < 1.5, `billed ${billedMs} ms, expected ${expected}`);
    assert.ok(
      doc.warnings.some((w) => /--no-bill-init does not apply to provided\.al2023/.test(w)),
    );
  });

  describe("compiled", { skip: noCc }, () => {
    let built: string;
    before(() => {
      built = join(root.dir, "c");
      mkdirSync(built);
      const cc = spawnSync(
        "cc",
        ["-O2", "-o", join(built, "bootstrap"), "fixtures/functions/provided/c/bootstrap.c"],
        { encoding: "utf8" },
      );
      assert.equal(cc.status, 0, cc.stderr);
    });

    it("sweeps `run path/to/bootstrap`, the directory as the task root", async () => {
      const { doc } = await runJson([join(built, "bootstrap"), "--memory", "128,256", "-n", "2"]);
      assert.equal(doc.runtime?.name, "provided.al2023");
      assert.equal(doc.runtime?.interpreter, join(built, "bootstrap"));
      assert.deepEqual(
        doc.tiers.map((t) => t.errors),
        [0, 0],
      );
      assert.ok(doc.recommendation !== null);
    });

    it("sweeps a directory with --runtime provided.al2023", async () => {
      const { doc } = await runJson([
        built,
        "--runtime",
        "provided.al2023",
        "--memory",
        "128",
        "-n",
        "1",
      ]);
      assert.equal(doc.tiers[0]?.errors, 0);
    });
  });

  it("refuses a bootstrap that is not executable with exit 2", async () => {
    await refused(
      [`${root.dir}/not-executable/bootstrap`],
      /not-executable\/bootstrap is not executable/,
      /chmod \+x/,
    );
  });

  it("refuses a bootstrap that exits at once with exit 2, showing what it said", async () => {
    await refused(
      [`${root.dir}/exits/bootstrap`],
      /Runtime\.ExitError: Runtime exited with error: exit status 3; its output:\ncannot start: no config/,
      /exited before asking the Runtime API for an event/,
    );
  });
});

describe("run with the function's environment: bad input", () => {
  let root: ReturnType<typeof taskRoot>;
  before(() => {
    root = taskRoot({
      "bad.env": "TABLE_NAME=orders\nthis is not a variable\n",
      "bad.json": "{oops",
    });
  });
  after(() => root?.remove());

  const NOOP = "fixtures/functions/noop/index.handler";
  for (const [what, args, message, hint] of [
    [
      "--env without '='",
      ["--env", "TABLE_NAME"],
      /--env TABLE_NAME has no '='/,
      /TABLE_NAME=value/,
    ],
    [
      "--env with a reserved name",
      ["--env", "AWS_LAMBDA_FUNCTION_NAME=x"],
      /AWS_LAMBDA_FUNCTION_NAME is reserved: Lambda sets it for every function/,
      /Remove it/,
    ],
    [
      "--env-vars that is missing",
      ["--env-vars", "<root>/none.env"],
      /cannot read --env-vars .*none\.env: no such file/,
      /Check the path/,
    ],
    [
      "a malformed dotenv file",
      ["--env-vars", "<root>/bad.env"],
      /bad\.env:2: expected KEY=VALUE/,
      /KEY=VALUE per line/,
    ],
    [
      "a malformed JSON file",
      ["--env-vars", "<root>/bad.json"],
      /bad\.json is not valid JSON/,
      /--env-vars/,
    ],
  ] as const) {
    it(`refuses ${what} with exit 2`, async () => {
      await refused([NOOP, ...args.map((a) => a.replace("<root>", root.dir))], message, hint);
    });
  }

  it("refuses --python for a handler that is not Python's with exit 2", async () => {
    await refused(
      [NOOP, "--python", "python3"],
      /--python applies to Python handlers, and fixtures\/functions\/noop\/index\.handler is a Node\.js handler/,
      /Leave out --python/,
    );
  });

  it("refuses a local flag on another target with exit 2", async () => {
    await refused(
      ["my-deployed-function", "--env", "A=1"],
      /--env applies to the local target, not the aws target this run uses/,
      /Leave out --env/,
    );
    await refused(
      ["my-deployed-function", "--python", "python3"],
      /--python applies to the local target/,
    );
  });
});
