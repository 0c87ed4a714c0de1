import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { Sha256 } from "@smithy/core/checksum";
import { HttpRequest } from "@smithy/core/transport";
import { SignatureV4 } from "@smithy/signature-v4";
import { CREDENTIALS, startTestApi, type TestApi } from "./api-fixture.js";

interface RawAnswer {
  status: number;
  type: string | undefined;
  body: string;
}

/** One HTTP request exactly as given: the Host header and all, as a browser or a script could send it. */
function raw(
  url: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<RawAnswer> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: Number(port),
        method: options.method,
        path: options.path,
        headers: options.headers ?? {},
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            type: res.headers["x-amzn-errortype"] as string | undefined,
            body,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Headers of a request signed with `credentials` for `body`. */
async function signedHeaders(
  url: string,
  method: string,
  path: string,
  body: string,
  credentials = CREDENTIALS,
): Promise<Record<string, string>> {
  const { host } = new URL(url);
  const signer = new SignatureV4({
    credentials,
    region: "us-east-1",
    service: "lambda",
    sha256: Sha256,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method,
      protocol: "http:",
      hostname: "127.0.0.1",
      path,
      headers: { host, "content-type": "application/json" },
      body,
    }),
  );
  return signed.headers as Record<string, string>;
}

const UPDATE = "/2015-03-31/functions/noop/configuration";
const INVOKE = "/2015-03-31/functions/noop/invocations";

describe("the emulator's API answers only local, signed requests", () => {
  let t: TestApi;
  let dir: string;
  before(async () => {
    t = await startTestApi({
      functions: [{ name: "noop", handler: "fixtures/functions/noop/index.handler" }],
    });
    dir = mkdtempSync(join(tmpdir(), "lambda-tune-security-"));
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const memory = async () =>
    (await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "noop" }))).MemorySize;

  it("refuses a Host that is not a loopback name (DNS rebinding), signed or not, and changes nothing", async () => {
    const body = JSON.stringify({ MemorySize: 1024 });
    const signed = await signedHeaders(t.api.url, "PUT", UPDATE, body);
    for (const headers of [{ "content-type": "application/json" }, signed]) {
      const answer = await raw(t.api.url, {
        method: "PUT",
        path: UPDATE,
        headers: { ...headers, host: "attacker.example:80" },
        body,
      });
      assert.equal(answer.status, 403, answer.body);
      assert.match(answer.body, /only requests for a loopback host .* not 'attacker\.example:80'/);
    }
    assert.equal(await memory(), 128);
    assert.equal(t.api.faults.calls("UpdateFunctionConfiguration"), 0);
  });

  it("refuses a web page's cross-origin text/plain POST", async () => {
    const before = t.api.faults.calls("Invoke");
    const answer = await raw(t.api.url, {
      method: "POST",
      path: INVOKE,
      headers: {
        host: new URL(t.api.url).host,
        origin: "http://attacker.example",
        "content-type": "text/plain",
      },
      body: "{}",
    });
    assert.equal(answer.status, 403);
    assert.match(answer.body, /refuses requests from web pages/);
    assert.equal(t.api.faults.calls("Invoke"), before, "nothing ran");
  });

  it("refuses an unsigned request, and one signed with another key pair", async () => {
    const body = JSON.stringify({ MemorySize: 2048 });
    const host = new URL(t.api.url).host;
    const cases: [Record<string, string>, number, string][] = [
      [{ host, "content-type": "application/json" }, 403, "MissingAuthenticationTokenException"],
      [
        await signedHeaders(t.api.url, "PUT", UPDATE, body, {
          accessKeyId: "someone-else",
          secretAccessKey: "test",
        }),
        403,
        "UnrecognizedClientException",
      ],
      [
        await signedHeaders(t.api.url, "PUT", UPDATE, body, {
          accessKeyId: "test",
          secretAccessKey: "guessed",
        }),
        403,
        "InvalidSignatureException",
      ],
    ];
    for (const [headers, status, type] of cases) {
      const answer = await raw(t.api.url, { method: "PUT", path: UPDATE, headers, body });
      assert.equal(answer.status, status, answer.body);
      assert.equal(answer.type, type, answer.body);
    }
    assert.equal(await memory(), 128);
  });

  it("refuses a signed request whose body was changed on the way", async () => {
    const headers = await signedHeaders(t.api.url, "PUT", UPDATE, JSON.stringify({ Timeout: 4 }));
    const answer = await raw(t.api.url, {
      method: "PUT",
      path: UPDATE,
      headers,
      body: JSON.stringify({ Timeout: 900 }),
    });
    assert.equal(answer.type, "InvalidSignatureException");
    const config = await t.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: "noop" }),
    );
    assert.equal(config.Timeout, 3);
  });

  it("tells an SDK client with the wrong key pair why (403, as Lambda would)", async () => {
    const stranger = new LambdaClient({
      endpoint: t.api.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "wrong" },
      maxAttempts: 1,
    });
    try {
      await assert.rejects(stranger.send(new InvokeCommand({ FunctionName: "noop" })), {
        name: "InvalidSignatureException",
      });
    } finally {
      stranger.destroy();
    }
  });

  it("refuses NODE_OPTIONS and other code-loading variables in UpdateFunctionConfiguration", async () => {
    const marker = join(dir, "ran");
    const payload = join(dir, "payload.cjs");
    writeFileSync(payload, `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "root")`);
    for (const [name, value] of [
      ["NODE_OPTIONS", `--require ${payload}`],
      ["LD_PRELOAD", "/tmp/x.so"],
      ["PYTHONPATH", dir],
      ["BASH_ENV", payload],
    ]) {
      await assert.rejects(
        t.lambda.send(
          new UpdateFunctionConfigurationCommand({
            FunctionName: "noop",
            Environment: { Variables: { SAFE: "1", [name as string]: value as string } },
          }),
        ),
        (error: Error) => {
          assert.equal(error.name, "InvalidParameterValueException");
          assert.match(error.message, new RegExp(`refuses the environment variable ${name}`));
          assert.match(error.message, new RegExp(`--allow-env ${name}`));
          return true;
        },
      );
    }
    const config = await t.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: "noop" }),
    );
    assert.equal(config.Environment, undefined, "nothing was set");
    await t.lambda.send(new InvokeCommand({ FunctionName: "noop" }));
    assert.equal(existsSync(marker), false, "the file never ran");
  });

  it("takes a code-loading variable the user allowed by name", async () => {
    const allowing = await startTestApi({
      functions: [{ name: "noop", handler: "fixtures/functions/noop/index.handler" }],
      allowEnv: ["NODE_OPTIONS"],
    });
    try {
      const updated = await allowing.lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: "noop",
          Environment: { Variables: { NODE_OPTIONS: "--max-old-space-size=100" } },
        }),
      );
      assert.deepEqual(updated.Environment?.Variables, {
        NODE_OPTIONS: "--max-old-space-size=100",
      });
    } finally {
      await allowing.close();
    }
  });
});
