// The emulator's Lambda API serves every runtime: Python, custom runtimes and
// TypeScript through the real AWS SDK, with the function's environment.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  GetFunctionConfigurationCommand,
  InvokeCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { TEST_PYTHON } from "../runtimes/prepared-pool.js";
import { missing } from "../runtimes/runtime-process.js";
import { startTestApi, type TestApi } from "./api-fixture.js";

const skip = missing(TEST_PYTHON, "python3") || missing("curl", "curl");

function decode(payload: Uint8Array | undefined): unknown {
  return JSON.parse(Buffer.from(payload ?? []).toString("utf8"));
}

describe("Lambda API: every runtime", { skip }, () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi({
      functions: [
        {
          name: "py-env",
          handler: "fixtures/functions/python/env/lambda_function.lambda_handler",
          environment: { TABLE_NAME: "orders" },
        },
        { name: "shell", handler: "fixtures/functions/provided/shell/function.handler" },
        { name: "typed", handler: "fixtures/functions/typescript/index.handler" },
      ],
      runtime: { python: TEST_PYTHON },
      credentials: { AWS_ACCESS_KEY_ID: "AKIAPASSED", AWS_SECRET_ACCESS_KEY: "secret" },
    });
  });
  after(() => t?.close());

  it("invokes a Python function with its environment and the credentials passed", async () => {
    const result = await t.lambda.send(new InvokeCommand({ FunctionName: "py-env" }));
    assert.equal(result.FunctionError, undefined);
    const body = decode(result.Payload) as {
      TABLE_NAME: string;
      credentials: boolean;
      lambda: Record<string, string>;
    };
    assert.equal(body.TABLE_NAME, "orders");
    assert.equal(body.credentials, true);
    assert.match(body.lambda.AWS_EXECUTION_ENV ?? "", /^AWS_Lambda_python3\.\d+$/);
    assert.equal(body.lambda.AWS_LAMBDA_FUNCTION_NAME, "py-env");
  });

  it("invokes a custom runtime and a TypeScript function", async () => {
    const shell = await t.lambda.send(
      new InvokeCommand({ FunctionName: "shell", Payload: Buffer.from('{"n": 1}') }),
    );
    assert.deepEqual((decode(shell.Payload) as { echo: unknown }).echo, { n: 1 });
    const typed = await t.lambda.send(
      new InvokeCommand({ FunctionName: "typed", Payload: Buffer.from('{"iterations": 2}') }),
    );
    assert.equal((decode(typed.Payload) as { iterations: number }).iterations, 2);
  });

  it("names the runtime and the local interpreter in GetFunctionConfiguration, never the credentials", async () => {
    const py = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "py-env" }));
    assert.match(py.Runtime ?? "", /^python3\.\d+$/);
    assert.match(
      py.RuntimeVersionConfig?.RuntimeVersionArn ?? "",
      /^arn:aws:lambda:us-east-1::runtime:local:3\.\d+\.\d+:\/.*python/,
    );
    assert.deepEqual(py.Environment?.Variables, { TABLE_NAME: "orders" });
    const shell = await t.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: "shell" }),
    );
    assert.equal(shell.Runtime, "provided.al2023");
    assert.equal(shell.Handler, "function.handler");
    assert.match(
      shell.RuntimeVersionConfig?.RuntimeVersionArn ?? "",
      /runtime:local::\/.*\/bootstrap$/,
    );
    const typed = await t.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: "typed" }),
    );
    assert.equal(typed.Runtime, `nodejs${process.versions.node.split(".")[0]}.x`);
  });

  it("refuses a reserved variable in UpdateFunctionConfiguration, as Lambda does", async () => {
    await assert.rejects(
      t.lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: "py-env",
          Environment: { Variables: { AWS_REGION: "eu-west-1", STAGE: "x" } },
        }),
      ),
      (error: Error) =>
        error.name === "InvalidParameterValueException" &&
        /reserved keys .* Reserved keys used in this request: AWS_REGION/.test(error.message),
    );
  });
});
