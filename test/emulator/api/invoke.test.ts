import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
} from "@aws-sdk/client-lambda";
import { parseLogTail } from "../../../src/logs/parser.js";
import { CREDENTIALS, sleep, startTestApi, type TestApi } from "./api-fixture.js";
import { signedFetch } from "./signed-fetch.js";

const decoder = new TextDecoder();

describe("Lambda API: Invoke and CloudWatch Logs", () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi(
      {
        functions: [
          { name: "echo", handler: "fixtures/functions/echo-context/index.handler", memoryMb: 256 },
          { name: "throws", handler: "fixtures/functions/throws/index.handler" },
          { name: "noop", handler: "fixtures/functions/noop/index.handler" },
        ],
      },
      { maxAttempts: 1 },
    );
  });
  after(() => t.close());

  it("returns the handler's result, the executed version and a log tail ending in REPORT", async () => {
    const result = await t.lambda.send(
      new InvokeCommand({
        FunctionName: "echo",
        Payload: JSON.stringify({ hello: "world" }),
        LogType: "Tail",
      }),
    );
    assert.equal(result.StatusCode, 200);
    assert.equal(result.ExecutedVersion, "$LATEST");
    assert.equal(result.FunctionError, undefined);
    const body = JSON.parse(decoder.decode(result.Payload)) as {
      event: unknown;
      context: { functionName: string; memoryLimitInMB: string; invokedFunctionArn: string };
      env: Record<string, string>;
    };
    assert.deepEqual(body.event, { hello: "world" });
    assert.equal(body.context.functionName, "echo");
    assert.equal(body.context.memoryLimitInMB, "256");
    assert.equal(body.env.AWS_LAMBDA_LOG_GROUP_NAME, "/aws/lambda/echo");
    const tail = Buffer.from(result.LogResult ?? "", "base64").toString("utf8");
    assert.match(tail, /START RequestId: [0-9a-f-]+ Version: \$LATEST\n/);
    assert.match(tail, /\nREPORT RequestId: [^\n]+\n$/);
    const record = parseLogTail(tail);
    assert.equal(record?.memorySizeMB, 256);
    assert.equal(record?.status, "success");
  });

  it("answers a handler error with FunctionError Unhandled and the error as the payload", async () => {
    const result = await t.lambda.send(
      new InvokeCommand({
        FunctionName: "throws",
        Payload: JSON.stringify({ message: "boom" }),
        LogType: "Tail",
      }),
    );
    assert.equal(result.StatusCode, 200);
    assert.equal(result.FunctionError, "Unhandled");
    const error = JSON.parse(decoder.decode(result.Payload)) as {
      errorType: string;
      errorMessage: string;
    };
    assert.equal(error.errorType, "Error");
    assert.equal(error.errorMessage, "boom");
    const record = parseLogTail(Buffer.from(result.LogResult ?? "", "base64").toString("utf8"));
    assert.equal(record?.status, "error");
  });

  it("runs an Event invocation in the background (202) and a DryRun not at all (204)", async () => {
    const event = await t.lambda.send(
      new InvokeCommand({ FunctionName: "noop", InvocationType: "Event", Payload: "{}" }),
    );
    assert.equal(event.StatusCode, 202);
    const dry = await t.lambda.send(
      new InvokeCommand({ FunctionName: "noop", InvocationType: "DryRun" }),
    );
    assert.equal(dry.StatusCode, 204);
    // The background call leaves its REPORT in the function's log group.
    for (let i = 0; i < 100; i++) {
      const found = await t.logs
        .send(
          new FilterLogEventsCommand({
            logGroupName: "/aws/lambda/noop",
            filterPattern: '"REPORT RequestId:"',
          }),
        )
        .catch(() => undefined);
      if ((found?.events ?? []).length > 0) return;
      await sleep(100);
    }
    assert.fail("the Event invocation never logged a REPORT");
  });

  it("refuses a payload that is not JSON", async () => {
    await assert.rejects(
      t.lambda.send(new InvokeCommand({ FunctionName: "noop", Payload: "{not json" })),
      {
        name: "InvalidRequestContentException",
      },
    );
  });

  it("answers ResourceNotFoundException for an unknown function or version", async () => {
    await assert.rejects(t.lambda.send(new InvokeCommand({ FunctionName: "missing" })), {
      name: "ResourceNotFoundException",
    });
    await assert.rejects(
      t.lambda.send(new InvokeCommand({ FunctionName: "noop", Qualifier: "7" })),
      {
        name: "ResourceNotFoundException",
        message: "Function not found: arn:aws:lambda:us-east-1:000000000000:function:noop:7",
      },
    );
  });

  it("finds an invocation's REPORT by request id with FilterLogEvents, one event per line", async () => {
    const started = Date.now() - 1000;
    const result = await t.lambda.send(
      new InvokeCommand({ FunctionName: "echo", LogType: "Tail" }),
    );
    const record = parseLogTail(Buffer.from(result.LogResult ?? "", "base64").toString("utf8"));
    assert.ok(record);
    const found = await t.logs.send(
      new FilterLogEventsCommand({
        logGroupName: "/aws/lambda/echo",
        startTime: started,
        endTime: Date.now() + 1000,
        filterPattern: `"REPORT RequestId: ${record.requestId}"`,
      }),
    );
    assert.equal(found.events?.length, 1);
    const event = found.events?.[0];
    assert.ok(event?.message?.startsWith(`REPORT RequestId: ${record.requestId}\tDuration: `));
    assert.deepEqual(parseLogTail(event?.message ?? ""), record);
    assert.match(event?.logStreamName ?? "", /^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);

    const all = await t.logs.send(
      new GetLogEventsCommand({
        logGroupName: "/aws/lambda/echo",
        logStreamName: event?.logStreamName,
        startFromHead: true,
      }),
    );
    const messages = (all.events ?? []).map((e) => e.message ?? "");
    assert.ok(
      messages.every(
        (message) => message.endsWith("\n") && message.indexOf("\n") === message.length - 1,
      ),
    );
    assert.ok(messages.some((message) => message.startsWith("INIT_START")));

    const streams = await t.logs.send(
      new DescribeLogStreamsCommand({ logGroupName: "/aws/lambda/echo" }),
    );
    assert.deepEqual(
      streams.logStreams?.map((s) => s.logStreamName),
      [event?.logStreamName],
    );
    const groups = await t.logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: "/aws/lambda/" }),
    );
    assert.ok(groups.logGroups?.some((g) => g.logGroupName === "/aws/lambda/echo"));
    await assert.rejects(
      t.logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/none" })),
      {
        name: "ResourceNotFoundException",
      },
    );
  });

  it("pages FilterLogEvents with nextToken", async () => {
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await t.logs.send(
        new FilterLogEventsCommand({ logGroupName: "/aws/lambda/echo", limit: 2, nextToken }),
      );
      seen.push(...(page.events ?? []).map((e) => e.eventId ?? ""));
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    const whole = await t.logs.send(
      new FilterLogEventsCommand({ logGroupName: "/aws/lambda/echo" }),
    );
    assert.deepEqual(
      seen,
      whole.events?.map((e) => e.eventId),
    );
    assert.ok(seen.length > 4);
  });

  it("injects 429 with Retry-After, 500 and dropped connections, and counts calls", async () => {
    const before = t.api.faults.calls("Invoke");
    t.api.faults.inject({ operation: "Invoke", kind: "429", times: 1 });
    await assert.rejects(
      t.lambda.send(new InvokeCommand({ FunctionName: "noop" })),
      (
        error: Error & {
          Reason?: string;
          retryAfterSeconds?: string;
          $metadata?: { httpStatusCode?: number };
        },
      ) => {
        assert.equal(error.name, "TooManyRequestsException");
        assert.equal(error.$metadata?.httpStatusCode, 429);
        assert.equal(error.Reason, "ConcurrentInvocationLimitExceeded");
        assert.equal(error.retryAfterSeconds, "1");
        return true;
      },
    );
    t.api.faults.inject({ operation: "GetFunctionConfiguration", kind: "500" });
    await assert.rejects(
      t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "noop" })),
      {
        name: "ServiceException",
      },
    );
    t.api.faults.inject({ operation: "Invoke", kind: "drop" });
    await assert.rejects(
      t.lambda.send(new InvokeCommand({ FunctionName: "noop" })),
      (error: Error) => {
        assert.match(
          `${error.name} ${error.message} ${(error as { code?: string }).code}`,
          /socket hang up|ECONNRESET/,
        );
        return true;
      },
    );
    const ok = await t.lambda.send(new InvokeCommand({ FunctionName: "noop" }));
    assert.equal(ok.StatusCode, 200);
    assert.equal(t.api.faults.calls("Invoke") - before, 3);
  });

  it("lets the SDK's retries ride out a throttle", async () => {
    const retrying = new LambdaClient({
      endpoint: t.api.url,
      region: "us-east-1",
      credentials: CREDENTIALS,
      maxAttempts: 3,
    });
    try {
      const before = t.api.faults.calls("Invoke");
      t.api.faults.inject({ operation: "Invoke", kind: "429", times: 2 });
      const result = await retrying.send(new InvokeCommand({ FunctionName: "noop" }));
      assert.equal(result.StatusCode, 200);
      assert.equal(t.api.faults.calls("Invoke") - before, 3);
    } finally {
      retrying.destroy();
    }
  });

  it("takes faults and reports call counts over HTTP under /_emulator/", async () => {
    const posted = await signedFetch(
      `${t.api.url}/_emulator/faults`,
      {
        method: "POST",
        body: JSON.stringify({ operation: "GetFunctionConfiguration", kind: "409", times: 1 }),
      },
      CREDENTIALS,
    );
    assert.equal(posted.status, 200);
    await assert.rejects(
      t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "noop" })),
      {
        name: "ResourceConflictException",
      },
    );
    const bad = await signedFetch(
      `${t.api.url}/_emulator/faults`,
      { method: "POST", body: '{"operation":"Invoke","kind":"418"}' },
      CREDENTIALS,
    );
    assert.equal(bad.status, 400);
    const calls = (await (
      await signedFetch(`${t.api.url}/_emulator/calls`, {}, CREDENTIALS)
    ).json()) as {
      calls: Record<string, number>;
    };
    assert.equal(
      calls.calls.GetFunctionConfiguration,
      t.api.faults.calls("GetFunctionConfiguration"),
    );
    assert.ok((calls.calls.Invoke ?? 0) >= 5);
  });

  it("runs an invocation and then loses its answer with drop-after-run", async () => {
    const reports = async () => {
      const page = await t.logs.send(
        new FilterLogEventsCommand({
          logGroupName: "/aws/lambda/noop",
          filterPattern: '"REPORT RequestId"',
        }),
      );
      return page.events?.length ?? 0;
    };
    const before = await reports();
    t.api.faults.inject({ operation: "Invoke", kind: "drop-after-run" });
    await assert.rejects(t.lambda.send(new InvokeCommand({ FunctionName: "noop" })));
    assert.equal(await reports(), before + 1, "the invocation ran and wrote its REPORT line");
  });
});
