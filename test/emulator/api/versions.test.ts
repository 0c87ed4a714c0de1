import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from "@aws-sdk/client-lambda";
import { parseLogTail } from "../../../src/logs/parser.js";
import { startTestApi, type TestApi } from "./api-fixture.js";

const FN = "noop";
const ARN = "arn:aws:lambda:us-east-1:000000000000:function:noop";

describe("Lambda API: versions and aliases", () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi({
      functions: [{ name: FN, handler: "fixtures/functions/noop/index.handler", memoryMb: 128 }],
      updateDelayMs: 50,
    });
  });
  after(() => t.close());

  async function configure(MemorySize: number, Description: string): Promise<void> {
    await t.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: FN, MemorySize, Description }),
    );
    await waitUntilFunctionUpdatedV2(
      { client: t.lambda, maxWaitTime: 30, minDelay: 1 },
      { FunctionName: FN },
    );
  }

  async function reportedMemory(Qualifier?: string): Promise<{ memory: number; version?: string }> {
    const result = await t.lambda.send(
      new InvokeCommand({ FunctionName: FN, LogType: "Tail", ...(Qualifier && { Qualifier }) }),
    );
    const tail = Buffer.from(result.LogResult ?? "", "base64").toString("utf8");
    const record = parseLogTail(tail);
    assert.ok(record, `a REPORT line in ${tail}`);
    return {
      memory: record.memorySizeMB,
      ...(result.ExecutedVersion && { version: result.ExecutedVersion }),
    };
  }

  it("publishes a new version after a change, and returns the last one when nothing changed", async () => {
    const first = await t.lambda.send(new PublishVersionCommand({ FunctionName: FN }));
    assert.equal(first.$metadata.httpStatusCode, 201);
    assert.equal(first.Version, "1");
    assert.equal(first.FunctionArn, `${ARN}:1`);
    assert.equal(first.MemorySize, 128);
    const again = await t.lambda.send(new PublishVersionCommand({ FunctionName: FN }));
    assert.equal(again.Version, "1");
    assert.equal(again.RevisionId, first.RevisionId);

    await configure(512, "lambda-tune 512");
    const second = await t.lambda.send(new PublishVersionCommand({ FunctionName: FN }));
    assert.equal(second.Version, "2");
    assert.equal(second.MemorySize, 512);
    assert.equal(second.Description, "lambda-tune 512");

    await configure(512, "lambda-tune 512 again");
    const third = await t.lambda.send(new PublishVersionCommand({ FunctionName: FN }));
    assert.equal(third.Version, "3", "a Description change alone forces a new version");
  });

  it("refuses to publish while an update is in progress", async () => {
    await t.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: FN, MemorySize: 1024 }),
    );
    await assert.rejects(t.lambda.send(new PublishVersionCommand({ FunctionName: FN })), {
      name: "ResourceConflictException",
    });
    await waitUntilFunctionUpdatedV2(
      { client: t.lambda, maxWaitTime: 30, minDelay: 1 },
      { FunctionName: FN },
    );
  });

  it("runs every version in its own sandboxes at its own memory size", async () => {
    assert.deepEqual(await reportedMemory("1"), { memory: 128, version: "1" });
    assert.deepEqual(await reportedMemory("2"), { memory: 512, version: "2" });
    assert.deepEqual(await reportedMemory(), { memory: 1024, version: "$LATEST" });
    const config = await t.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: FN, Qualifier: "2" }),
    );
    assert.equal(config.MemorySize, 512);
    assert.equal(config.Version, "2");
  });

  it("lists versions with $LATEST first, page by page", async () => {
    const seen: string[] = [];
    let Marker: string | undefined;
    let pages = 0;
    do {
      const page = await t.lambda.send(
        new ListVersionsByFunctionCommand({ FunctionName: FN, MaxItems: 2, Marker }),
      );
      seen.push(...(page.Versions ?? []).map((v) => v.Version ?? "?"));
      Marker = page.NextMarker;
      pages++;
    } while (Marker !== undefined);
    assert.deepEqual(seen, ["$LATEST", "1", "2", "3"]);
    assert.equal(pages, 2);
  });

  it("creates, reads, updates, lists and deletes aliases; an alias routes invocations", async () => {
    const created = await t.lambda.send(
      new CreateAliasCommand({
        FunctionName: FN,
        Name: "live",
        FunctionVersion: "1",
        Description: "prod",
      }),
    );
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.AliasArn, `${ARN}:live`);
    await assert.rejects(
      t.lambda.send(
        new CreateAliasCommand({ FunctionName: FN, Name: "live", FunctionVersion: "1" }),
      ),
      { name: "ResourceConflictException" },
    );
    const read = await t.lambda.send(new GetAliasCommand({ FunctionName: FN, Name: "live" }));
    assert.equal(read.FunctionVersion, "1");
    assert.equal(read.Description, "prod");
    const updated = await t.lambda.send(
      new UpdateAliasCommand({ FunctionName: FN, Name: "live", FunctionVersion: "2" }),
    );
    assert.equal(updated.FunctionVersion, "2");
    assert.notEqual(updated.RevisionId, read.RevisionId);
    assert.deepEqual(await reportedMemory("live"), { memory: 512, version: "2" });
    const listed = await t.lambda.send(new ListAliasesCommand({ FunctionName: FN }));
    assert.deepEqual(
      listed.Aliases?.map((a) => a.Name),
      ["live"],
    );

    await assert.rejects(
      t.lambda.send(new DeleteFunctionCommand({ FunctionName: FN, Qualifier: "2" })),
      (error: Error) => {
        assert.equal(error.name, "ResourceConflictException");
        assert.match(error.message, /live/);
        return true;
      },
    );
    const deleted = await t.lambda.send(new DeleteAliasCommand({ FunctionName: FN, Name: "live" }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await assert.rejects(t.lambda.send(new GetAliasCommand({ FunctionName: FN, Name: "live" })), {
      name: "ResourceNotFoundException",
    });
  });

  it("deletes a version by Qualifier, then the function", async () => {
    const deleted = await t.lambda.send(
      new DeleteFunctionCommand({ FunctionName: FN, Qualifier: "2" }),
    );
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    const { Versions } = await t.lambda.send(
      new ListVersionsByFunctionCommand({ FunctionName: FN }),
    );
    assert.deepEqual(
      Versions?.map((v) => v.Version),
      ["$LATEST", "1", "3"],
    );
    await assert.rejects(t.lambda.send(new InvokeCommand({ FunctionName: FN, Qualifier: "2" })), {
      name: "ResourceNotFoundException",
    });
    await assert.rejects(
      t.lambda.send(new DeleteFunctionCommand({ FunctionName: FN, Qualifier: "$LATEST" })),
      {
        name: "InvalidParameterValueException",
      },
    );
    const next = await t.lambda.send(new PublishVersionCommand({ FunctionName: FN }));
    assert.equal(next.Version, "4", "version numbers are never reused");
    assert.equal(next.MemorySize, 1024);

    await t.lambda.send(new DeleteFunctionCommand({ FunctionName: FN }));
    await assert.rejects(t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: FN })), {
      name: "ResourceNotFoundException",
    });
  });
});
