// The function's environment: --env, --env-vars (dotenv or SAM's --env-vars JSON).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { UsageError } from "../../../src/errors.js";
import {
  functionEnvironment,
  parseDotenv,
  parseEnvAssignment,
  parseSamEnvVars,
  readEnvironmentFile,
} from "../../../src/targets/local/environment.js";

function refusal(message: RegExp, hint?: RegExp) {
  return (error: unknown) =>
    error instanceof UsageError &&
    message.test(error.message) &&
    (hint === undefined || hint.test(error.hint ?? ""));
}

describe("--env KEY=VALUE", () => {
  it("splits at the first '='; the value may be empty or hold '='", () => {
    assert.deepEqual(parseEnvAssignment("TABLE_NAME=orders"), ["TABLE_NAME", "orders"]);
    assert.deepEqual(parseEnvAssignment("EMPTY="), ["EMPTY", ""]);
    assert.deepEqual(parseEnvAssignment("URL=a=b"), ["URL", "a=b"]);
  });

  it("refuses a variable without '=', naming the fix", () => {
    assert.throws(
      () => parseEnvAssignment("TABLE_NAME"),
      refusal(/--env TABLE_NAME has no '='/, /--env TABLE_NAME=value/),
    );
  });

  it("refuses a name Lambda does not accept", () => {
    assert.throws(() => parseEnvAssignment("1ST=x"), refusal(/'1ST' is not a name Lambda accepts/));
    assert.throws(() => parseEnvAssignment("=x"), refusal(/'' is not a name Lambda accepts/));
  });

  it("refuses Lambda's reserved variables, saying why", () => {
    assert.throws(
      () => parseEnvAssignment("AWS_LAMBDA_FUNCTION_NAME=x"),
      refusal(
        /AWS_LAMBDA_FUNCTION_NAME is reserved: Lambda sets it for every function and refuses a configuration that sets it/,
        /Reserved: _HANDLER, /,
      ),
    );
    assert.throws(
      () => parseEnvAssignment("AWS_SECRET_ACCESS_KEY=x"),
      refusal(/is reserved/, /--pass-aws-credentials/),
    );
  });
});

describe("--env-vars", () => {
  const dir = mkdtempSync(join(tmpdir(), "lambda-tune-env-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return name;
  };

  it("reads dotenv: comments, export, quotes, escapes and values over several lines", () => {
    const text = [
      "# settings",
      "",
      "TABLE_NAME=orders",
      "export STAGE = test # the stage",
      "URL=https://example.com/#anchor",
      "SINGLE='a $literal \\n'",
      'DOUBLE="line one\\nline two \\"quoted\\""',
      'MULTI="first',
      'second"',
      "EMPTY=",
      "\r",
    ].join("\n");
    assert.deepEqual(parseDotenv(text, ".env"), {
      TABLE_NAME: "orders",
      STAGE: "test",
      URL: "https://example.com/#anchor",
      SINGLE: "a $literal \\n",
      DOUBLE: 'line one\nline two "quoted"',
      MULTI: "first\nsecond",
      EMPTY: "",
    });
  });

  it("refuses a malformed dotenv line, naming the file and line", () => {
    assert.throws(
      () => parseDotenv("A=1\nNOT A VARIABLE\n", ".env"),
      refusal(/--env-vars \.env:2: expected KEY=VALUE, got 'NOT A VARIABLE'/, /KEY=VALUE/),
    );
    assert.throws(
      () => parseDotenv('A="never closed\nB=2\n', ".env"),
      refusal(/\.env:1: the value of A opens " and never closes it/),
    );
    assert.throws(
      () => parseDotenv('A="x" y\n', ".env"),
      refusal(/\.env:1: unexpected 'y' after the quoted value of A/),
    );
    assert.throws(
      () => parseDotenv("AWS_REGION=eu-west-1\n", ".env"),
      refusal(/\.env:1: AWS_REGION is reserved/),
    );
  });

  it("reads SAM's --env-vars JSON: Parameters for every function, a section by function name", () => {
    const sam = parseSamEnvVars(
      JSON.stringify({
        Parameters: { STAGE: "prod", RETRIES: 3 },
        "cpu-bound": { TABLE_NAME: "orders", STAGE: "dev" },
        other: { TABLE_NAME: "other" },
      }),
      "env.json",
    );
    assert.deepEqual(functionEnvironment({ functionName: "cpu-bound", file: sam }), {
      STAGE: "dev",
      RETRIES: "3",
      TABLE_NAME: "orders",
    });
    assert.throws(
      () => functionEnvironment({ functionName: "third", file: sam }),
      refusal(/has variables for cpu-bound, other but none for third/, /Name a section third/),
    );
    const one = parseSamEnvVars('{"HelloWorldFunction": {"TABLE_NAME": "t"}}', "env.json");
    assert.deepEqual(functionEnvironment({ functionName: "hello_world", file: one }), {
      TABLE_NAME: "t",
    });
  });

  it("lets --env win over the file", () => {
    const file = { path: ".env", common: { A: "file", B: "file" }, functions: {} };
    assert.deepEqual(
      functionEnvironment({ functionName: "f", file, assignments: [["B", "flag"]] }),
      { A: "file", B: "flag" },
    );
  });

  it("refuses malformed JSON and the wrong shape", () => {
    assert.throws(
      () => parseSamEnvVars("{oops", "env.json"),
      refusal(/env\.json is not valid JSON/),
    );
    assert.throws(() => parseSamEnvVars("[1]", "env.json"), refusal(/not an object/));
    assert.throws(
      () => parseSamEnvVars('{"Fn": "x"}', "env.json"),
      refusal(/"Fn" is not an object of variables/, /--env-vars format/),
    );
    assert.throws(
      () => parseSamEnvVars('{"Fn": {"A": {"nested": 1}}}', "env.json"),
      refusal(/Fn\.A is not a string/),
    );
    assert.throws(
      () => parseSamEnvVars('{"Fn": {"_HANDLER": "x"}}', "env.json"),
      refusal(/_HANDLER is reserved/),
    );
  });

  it("reads a file by its content, and refuses a missing one", () => {
    assert.deepEqual(readEnvironmentFile(file(".env", "A=1\n"), dir).common, { A: "1" });
    assert.deepEqual(
      readEnvironmentFile(file("env.json", ' {"Parameters": {"A": "2"}}'), dir).common,
      { A: "2" },
    );
    assert.throws(
      () => readEnvironmentFile("missing.env", dir),
      refusal(/cannot read --env-vars missing\.env: no such file/, /Check the path/),
    );
  });
});
