import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  ListFunctionsCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from "@aws-sdk/client-lambda";
import { startTestApi, type TestApi } from "./api-fixture.js";

describe("Lambda API: function configuration", () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi({
      functions: [
        {
          name: "noop",
          handler: "fixtures/functions/noop/index.handler",
          memoryMb: 256,
          timeoutSeconds: 5,
        },
        {
          name: "echo",
          handler: "fixtures/functions/echo-context/index.handler",
          description: "echo",
        },
      ],
    });
  });
  after(() => t.close());

  it("describes a function as Lambda does", async () => {
    const config = await t.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: "noop" }),
    );
    assert.equal(config.FunctionName, "noop");
    assert.equal(config.FunctionArn, "arn:aws:lambda:us-east-1:000000000000:function:noop");
    assert.equal(config.Runtime, "nodejs20.x");
    assert.equal(config.Handler, "fixtures/functions/noop/index.handler");
    assert.equal(config.MemorySize, 256);
    assert.equal(config.Timeout, 5);
    assert.equal(config.Version, "$LATEST");
    assert.equal(config.State, "Active");
    assert.equal(config.LastUpdateStatus, "Successful");
    assert.equal(config.PackageType, "Zip");
    assert.deepEqual(config.Architectures, [process.arch === "arm64" ? "arm64" : "x86_64"]);
    assert.match(config.LastModified ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    assert.match(config.RevisionId ?? "", /^[0-9a-f-]{36}$/);
    assert.match(config.CodeSha256 ?? "", /^[A-Za-z0-9+/]{43}=$/);
    assert.ok((config.CodeSize ?? 0) > 0);
    assert.deepEqual(config.LoggingConfig, { LogFormat: "Text", LogGroup: "/aws/lambda/noop" });
  });

  it("accepts a name, a partial ARN, a full ARN and a qualifier in the name", async () => {
    for (const FunctionName of [
      "echo",
      "000000000000:function:echo",
      "arn:aws:lambda:us-east-1:000000000000:function:echo",
      "arn:aws:lambda:us-east-1:000000000000:function:echo:$LATEST",
      "echo:$LATEST",
    ]) {
      const { Configuration } = await t.lambda.send(new GetFunctionCommand({ FunctionName }));
      assert.equal(Configuration?.FunctionName, "echo", FunctionName);
      assert.equal(Configuration?.Description, "echo");
    }
  });

  it("lists the functions", async () => {
    const { Functions } = await t.lambda.send(new ListFunctionsCommand({}));
    assert.deepEqual(Functions?.map((fn) => fn.FunctionName).sort(), ["echo", "noop"]);
  });

  it("answers 404 ResourceNotFoundException for an unknown function", async () => {
    await assert.rejects(
      t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "nope" })),
      (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(error.name, "ResourceNotFoundException");
        assert.equal(error.$metadata?.httpStatusCode, 404);
        assert.equal(
          error.message,
          "Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope",
        );
        return true;
      },
    );
  });

  it("updates InProgress then Successful; the waiter sees it; a second update meanwhile is a 409", async () => {
    const before = await t.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: "noop" }),
    );
    const updated = await t.lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: "noop",
        MemorySize: 512,
        Timeout: 7,
        Description: "tuned",
        Environment: { Variables: { MY_SETTING: "on" } },
      }),
    );
    assert.equal(updated.LastUpdateStatus, "InProgress");
    assert.equal(updated.MemorySize, 512);
    assert.notEqual(updated.RevisionId, before.RevisionId);
    await assert.rejects(
      t.lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: "noop", MemorySize: 1024 }),
      ),
      (error: Error) => {
        assert.equal(error.name, "ResourceConflictException");
        assert.equal(
          error.message,
          "An update is in progress for resource: arn:aws:lambda:us-east-1:000000000000:function:noop",
        );
        return true;
      },
    );
    const waited = await waitUntilFunctionUpdatedV2(
      { client: t.lambda, maxWaitTime: 30, minDelay: 1 },
      { FunctionName: "noop" },
    );
    assert.equal(waited.state, "SUCCESS");
    const after = await t.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: "noop" }),
    );
    assert.equal(after.LastUpdateStatus, "Successful");
    assert.equal(after.MemorySize, 512);
    assert.equal(after.Timeout, 7);
    assert.equal(after.Description, "tuned");
    assert.deepEqual(after.Environment?.Variables, { MY_SETTING: "on" });
    // As on Lambda, the end of the update is a new revision.
    assert.notEqual(after.RevisionId, updated.RevisionId);
    await assert.rejects(
      t.lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: "noop",
          MemorySize: 256,
          RevisionId: updated.RevisionId,
        }),
      ),
      { name: "PreconditionFailedException" },
    );
  });

  it("refuses a stale RevisionId with 412 PreconditionFailedException", async () => {
    await assert.rejects(
      t.lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: "echo",
          MemorySize: 256,
          RevisionId: "00000000-0000-0000-0000-000000000000",
        }),
      ),
      { name: "PreconditionFailedException" },
    );
  });

  it("validates memory and timeout as Lambda does", async () => {
    const cases: Array<[{ MemorySize?: number; Timeout?: number }, string, RegExp]> = [
      [{ MemorySize: 64 }, "ValidationException", /greater than or equal to 128/],
      [{ MemorySize: 10_241 }, "ValidationException", /less than or equal to 10240/],
      [{ Timeout: 0 }, "ValidationException", /greater than or equal to 1/],
      [{ Timeout: 901 }, "InvalidParameterValueException", /900/],
    ];
    for (const [input, name, message] of cases) {
      await assert.rejects(
        t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "echo", ...input })),
        (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
          assert.equal(error.name, name, JSON.stringify(input));
          assert.equal(error.$metadata?.httpStatusCode, 400);
          assert.match(error.message, message);
          return true;
        },
      );
    }
  });
});
