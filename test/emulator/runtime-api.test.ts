import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { RuntimeApiServer } from "../../src/emulator/runtime-api.js";
import { MAX_RESPONSE_BYTES } from "../../src/lambda.js";

function event(requestId: string) {
  return {
    requestId,
    payload: '{"hello":"world"}',
    deadlineMs: Date.now() + 3000,
    invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:f",
    traceId: "Root=1-00000000-000000000000000000000000;Sampled=0",
  };
}

describe("RuntimeApiServer over real HTTP", () => {
  let api: RuntimeApiServer;
  let base: string;
  before(async () => {
    api = await RuntimeApiServer.listen();
    base = `http://${api.address}/2018-06-01/runtime`;
  });
  after(() => api.close());

  it("long-polls /next until an event is delivered, with Lambda's headers", async () => {
    const next = fetch(`${base}/invocation/next`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const delivery = api.deliver(event("req-1"));
    const res = await next;
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("lambda-runtime-aws-request-id"), "req-1");
    assert.match(res.headers.get("lambda-runtime-deadline-ms") ?? "", /^\d{13}$/);
    assert.equal(
      res.headers.get("lambda-runtime-invoked-function-arn"),
      "arn:aws:lambda:us-east-1:000000000000:function:f",
    );
    assert.match(res.headers.get("lambda-runtime-trace-id") ?? "", /^Root=/);
    assert.equal(res.headers.get("lambda-runtime-client-context"), null);
    assert.equal(res.headers.get("lambda-runtime-cognito-identity"), null);
    assert.equal(await res.text(), '{"hello":"world"}');
    assert.equal(typeof (await delivery.handedOut), "number");

    const posted = await fetch(`${base}/invocation/req-1/response`, {
      method: "POST",
      body: '"ok"',
    });
    assert.equal(posted.status, 202);
    const result = await delivery.result;
    assert.equal(result.kind, "response");
    assert.equal(result.kind === "response" && result.body, '"ok"');
  });

  it("answers 403 to a second post for the same invocation and 400 to an unknown id", async () => {
    const again = await fetch(`${base}/invocation/req-1/response`, { method: "POST", body: "{}" });
    assert.equal(again.status, 403);
    assert.equal(
      ((await again.json()) as { errorType: string }).errorType,
      "InvalidStateTransition",
    );
    const unknown = await fetch(`${base}/invocation/nope/error`, { method: "POST", body: "{}" });
    assert.equal(unknown.status, 400);
    assert.deepEqual(await unknown.json(), {
      errorMessage: "Invalid request ID",
      errorType: "InvalidRequestID",
    });
  });

  it("takes the error type from Lambda-Runtime-Function-Error-Type", async () => {
    const delivery = api.deliver(event("req-2"));
    await (await fetch(`${base}/invocation/next`)).text();
    const body = JSON.stringify({ errorType: "Error", errorMessage: "boom", stackTrace: [] });
    const res = await fetch(`${base}/invocation/req-2/error`, {
      method: "POST",
      body,
      headers: { "Lambda-Runtime-Function-Error-Type": "Custom.Failure" },
    });
    assert.equal(res.status, 202);
    const result = await delivery.result;
    assert.equal(result.kind, "error");
    assert.equal(result.kind === "error" && result.errorType, "Custom.Failure");
  });

  it("rejects a response over 6 MiB + 100 bytes with 413, failing the invocation", async () => {
    const delivery = api.deliver(event("req-3"));
    await (await fetch(`${base}/invocation/next`)).text();
    const res = await fetch(`${base}/invocation/req-3/response`, {
      method: "POST",
      body: "x".repeat(MAX_RESPONSE_BYTES + 1),
    });
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { errorType: string }).errorType, "RequestEntityTooLarge");
    const result = await delivery.result;
    assert.equal(result.kind === "error" && result.errorType, "Function.ResponseSizeTooLarge");
  });

  it("accepts a response of exactly the limit", async () => {
    const delivery = api.deliver(event("req-4"));
    await (await fetch(`${base}/invocation/next`)).text();
    const res = await fetch(`${base}/invocation/req-4/response`, {
      method: "POST",
      body: "y".repeat(MAX_RESPONSE_BYTES),
    });
    assert.equal(res.status, 202);
    assert.equal((await delivery.result).kind, "response");
  });

  it("reports init errors to its listeners", async () => {
    const reported = new Promise<{ errorType: string }>((resolve) => api.onInitError(resolve));
    const res = await fetch(`${base}/init/error`, {
      method: "POST",
      body: JSON.stringify({ errorType: "Runtime.HandlerNotFound", errorMessage: "x" }),
    });
    assert.equal(res.status, 202);
    assert.equal((await reported).errorType, "Runtime.HandlerNotFound");
  });
});
