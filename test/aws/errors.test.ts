import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { UsageError } from "../../src/errors.js";
import { createAwsTarget } from "../../src/targets/aws/aws-target.js";
import {
  type Emulator,
  NOOP,
  startEmulator,
  useTestCredentials,
} from "../targets/aws/aws-fixture.js";

useTestCredentials();

function usageError(pattern: RegExp, hint?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof UsageError, `a UsageError, not ${String(error)}`);
    assert.match(error.message, pattern);
    if (hint !== undefined) assert.match(error.hint ?? "", hint);
    return true;
  };
}

/** Runs `body` with only these AWS_* variables set, and no shared config or credentials files. */
async function withAwsEnv(env: Record<string, string>, body: () => Promise<void>): Promise<void> {
  const saved = { ...process.env };
  const dir = await mkdtemp(join(tmpdir(), "lambda-tune-aws-env-"));
  const empty = join(dir, "empty");
  await writeFile(empty, "");
  for (const name of Object.keys(process.env))
    if (name.startsWith("AWS_")) delete process.env[name];
  Object.assign(process.env, {
    AWS_SHARED_CREDENTIALS_FILE: empty,
    AWS_CONFIG_FILE: empty,
    AWS_EC2_METADATA_DISABLED: "true",
    ...env,
  });
  try {
    await body();
  } finally {
    for (const name of Object.keys(process.env))
      if (name.startsWith("AWS_")) delete process.env[name];
    Object.assign(process.env, saved);
    await rm(dir, { recursive: true, force: true });
  }
}

describe("aws target: what the user must fix is a UsageError", () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ functions: [{ name: "noop", handler: NOOP }] });
  });
  afterEach(() => emu.api.faults.clear({ counts: true }));
  after(() => emu.close());

  const target = (functionArg: string, extra: Record<string, unknown> = {}) =>
    createAwsTarget({ functionArg, endpointUrl: emu.url, stateDir: emu.stateDir, ...extra });

  it("an unknown function", async () => {
    await assert.rejects(
      target("nope").describe(),
      usageError(/function 'nope' was not found/, /--region/),
    );
  });

  it("a qualified ARN, a version or an alias", () => {
    for (const arg of [
      "noop:3",
      "noop:live",
      "arn:aws:lambda:us-east-1:000000000000:function:noop:7",
      "000000000000:function:noop:live",
    ]) {
      assert.throws(
        () => target(arg),
        usageError(/tune the unqualified function/, /--apply-alias/),
        arg,
      );
    }
    // $LATEST is the unqualified function.
    assert.doesNotThrow(() => target("noop:$LATEST"));
  });

  it("an ARN in another region than --region", () => {
    assert.throws(
      () => target("arn:aws:lambda:eu-west-1:000000000000:function:noop", { region: "us-east-1" }),
      usageError(/eu-west-1.*--region says us-east-1/),
    );
  });

  it("no region", async () => {
    await withAwsEnv({ AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" }, async () => {
      await assert.rejects(
        target("noop").describe(),
        usageError(/no AWS region/, /--region.*AWS_REGION/),
      );
    });
  });

  it("no credentials", async () => {
    await withAwsEnv({ AWS_REGION: "us-east-1" }, async () => {
      await assert.rejects(
        target("noop").describe(),
        usageError(
          /no AWS credentials/,
          /AWS_ACCESS_KEY_ID.*~\/\.aws\/credentials.*--profile.*sso/,
        ),
      );
    });
    assert.equal(emu.api.faults.calls("GetFunctionConfiguration"), 0);
  });

  it("a key pair the emulator does not take: names the endpoint and the key pair to use", async () => {
    await withAwsEnv(
      { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "wrong" },
      async () => {
        await assert.rejects(
          target("noop").describe(),
          usageError(
            new RegExp(
              `${emu.url} refused the credentials \\(InvalidSignatureException\\).*nothing was changed`,
            ),
            /lambda-tune emulate.*key pair it printed/,
          ),
        );
      },
    );
  });

  it("an endpoint that refuses connections", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const aws = createAwsTarget({
      functionArg: "noop",
      endpointUrl: url,
      stateDir: emu.stateDir,
      maxAttempts: 2,
    });
    await assert.rejects(
      aws.describe(),
      usageError(
        new RegExp(`cannot reach ${url}.*ECONNREFUSED.*nothing was changed`),
        /--endpoint-url/,
      ),
    );
  });
});

// Real Lambda answers AccessDeniedException for a missing IAM permission; the
// emulator grants everything, so this server replays recorded answers.
describe("aws target: AccessDenied on UpdateFunctionConfiguration (recorded responses)", () => {
  let server: Server;
  let url: string;
  let stateDir: string;
  const requests: string[] = [];
  const arn = "arn:aws:lambda:us-east-1:123456789012:function:locked";
  const configuration = {
    FunctionName: "locked",
    FunctionArn: arn,
    MemorySize: 128,
    Timeout: 3,
    Description: "",
    Architectures: ["arm64"],
    LastUpdateStatus: "Successful",
    State: "Active",
    RevisionId: "3f1c5b2e-6f7a-4d5c-9b0a-1e2f3a4b5c6d",
    Version: "$LATEST",
  };

  before(async () => {
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      req.resume();
      req.on("end", () => {
        // The target names the function by its ARN once it has read it.
        const path = decodeURIComponent(req.url ?? "");
        if (
          req.method === "GET" &&
          /^\/2015-03-31\/functions\/(locked|arn:.*:locked)\/configuration/.test(path)
        ) {
          res.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": "r1" });
          res.end(JSON.stringify(configuration));
          return;
        }
        res.writeHead(403, {
          "content-type": "application/json",
          "x-amzn-errortype": "AccessDeniedException",
          "x-amzn-requestid": "r2",
        });
        res.end(
          JSON.stringify({
            Message: `User: arn:aws:iam::123456789012:user/dev is not authorized to perform: lambda:UpdateFunctionConfiguration on resource: ${arn} because no identity-based policy allows the lambda:UpdateFunctionConfiguration action`,
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stateDir = await mkdtemp(join(tmpdir(), "lambda-tune-journal-"));
  });
  beforeEach(() => {
    requests.length = 0;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(stateDir, { recursive: true, force: true });
  });

  it("says nothing was changed, names the permission and lists all it needs", async () => {
    const aws = createAwsTarget({ functionArg: "locked", endpointUrl: url, stateDir });
    const info = await aws.describe();
    assert.equal(info.architecture, "arm64");
    await assert.rejects(
      aws.prepare(512),
      usageError(
        /not allowed to call lambda:UpdateFunctionConfiguration on locked; nothing was changed/,
        /grant lambda:UpdateFunctionConfiguration; lambda-tune needs lambda:GetFunctionConfiguration, .*lambda:PublishVersion, lambda:InvokeFunction, .*lambda:DeleteFunction.*logs:FilterLogEvents.*lambda:CreateAlias/,
      ),
    );
    assert.deepEqual(await readdir(stateDir), [], "no journal left behind when nothing changed");
    await aws.restore();
    assert.ok(
      requests.every((r) => !r.startsWith("DELETE")),
      requests.join(", "),
    );
    assert.equal(existsSync(join(stateDir, "x")), false);
  });
});
