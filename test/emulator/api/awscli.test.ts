import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseLogTail } from "../../../src/logs/parser.js";
import { sleep, startTestApi, type TestApi } from "./api-fixture.js";

const ENV = {
  ...process.env,
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_DEFAULT_REGION: "us-east-1",
  AWS_PAGER: "",
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
};

// Debian's package, a client no one here wrote; another `aws` on PATH otherwise.
const AWS = existsSync("/usr/bin/aws") ? "/usr/bin/aws" : "aws";

function awsVersion(): string | undefined {
  const probe = spawnSync(AWS, ["--version"], { env: ENV, encoding: "utf8" });
  return probe.status === 0 ? `${probe.stdout}${probe.stderr}`.trim() : undefined;
}

const version = awsVersion();

describe("the AWS CLI against the emulator", {
  skip:
    version === undefined
      ? "awscli not installed: `aws` is not on PATH (apt-get install -y awscli)"
      : false,
}, () => {
  let t: TestApi;
  let dir: string;
  before(async () => {
    t = await startTestApi({
      functions: [
        { name: "noop", handler: "fixtures/functions/noop/index.handler", memoryMb: 128 },
        {
          name: "py",
          handler: "fixtures/functions/python/throws/lambda_function.lambda_handler",
          memoryMb: 128,
        },
        { name: "shell", handler: "fixtures/functions/provided/shell/function.handler" },
      ],
      runtime: { python: process.env.LAMBDA_TUNE_TEST_PYTHON ?? "python3" },
      updateDelayMs: 100,
    });
    dir = mkdtempSync(join(tmpdir(), "lambda-tune-awscli-"));
  });
  after(async () => {
    await t?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  function aws(...args: string[]): Promise<unknown> {
    const common = [
      "--endpoint-url",
      t.api.url,
      "--output",
      "json",
      "--cli-read-timeout",
      "60",
      "--cli-connect-timeout",
      "10",
    ];
    return new Promise((resolve, reject) => {
      execFile(
        AWS,
        [...args, ...common],
        { env: ENV, encoding: "utf8" },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`aws ${args.join(" ")} failed: ${stderr}`, { cause: error }));
          else resolve(stdout.trim() === "" ? undefined : JSON.parse(stdout));
        },
      );
    });
  }

  it(`invokes with --log-type Tail (${version})`, async () => {
    const outfile = join(dir, "response.json");
    const result = (await aws(
      "lambda",
      "invoke",
      "--function-name",
      "noop",
      "--log-type",
      "Tail",
      outfile,
    )) as {
      StatusCode: number;
      LogResult: string;
      ExecutedVersion: string;
    };
    assert.equal(result.StatusCode, 200);
    assert.equal(result.ExecutedVersion, "$LATEST");
    assert.equal(readFileSync(outfile, "utf8"), "null");
    const record = parseLogTail(Buffer.from(result.LogResult, "base64").toString("utf8"));
    assert.equal(record?.memorySizeMB, 128);
  });

  it("invokes a Python function and a custom runtime, errors and logs as Lambda reports them", async () => {
    const outfile = join(dir, "python.json");
    const failed = (await aws(
      "lambda",
      "invoke",
      "--function-name",
      "py",
      "--cli-binary-format",
      "raw-in-base64-out",
      "--payload",
      '{"message": "from the CLI"}',
      "--log-type",
      "Tail",
      outfile,
    )) as { StatusCode: number; FunctionError: string; LogResult: string };
    assert.equal(failed.StatusCode, 200);
    assert.equal(failed.FunctionError, "Unhandled");
    const body = JSON.parse(readFileSync(outfile, "utf8"));
    assert.equal(body.errorType, "ValueError");
    assert.equal(body.errorMessage, "from the CLI");
    const log = Buffer.from(failed.LogResult, "base64").toString("utf8");
    assert.match(log, /about to fail for \{"message": "from the CLI"\}/);
    assert.equal(parseLogTail(log)?.errorType, "ValueError");

    const shellOut = join(dir, "shell.json");
    await aws(
      "lambda",
      "invoke",
      "--function-name",
      "shell",
      "--cli-binary-format",
      "raw-in-base64-out",
      "--payload",
      '{"n": 7}',
      shellOut,
    );
    assert.deepEqual(JSON.parse(readFileSync(shellOut, "utf8")).echo, { n: 7 });
    const config = (await aws("lambda", "get-function-configuration", "--function-name", "py")) as {
      Runtime: string;
      RuntimeVersionConfig: { RuntimeVersionArn: string };
    };
    assert.match(config.Runtime, /^python3\.\d+$/);
    assert.match(config.RuntimeVersionConfig.RuntimeVersionArn, /::runtime:local:3\./);
  });

  it("reads and updates the configuration, publishes and lists versions", async () => {
    const config = (await aws(
      "lambda",
      "get-function-configuration",
      "--function-name",
      "noop",
    )) as {
      MemorySize: number;
      LastUpdateStatus: string;
    };
    assert.equal(config.MemorySize, 128);
    assert.equal(config.LastUpdateStatus, "Successful");

    const updated = (await aws(
      "lambda",
      "update-function-configuration",
      "--function-name",
      "noop",
      "--memory-size",
      "512",
      "--description",
      "via the AWS CLI",
    )) as { MemorySize: number; LastUpdateStatus: string };
    assert.equal(updated.MemorySize, 512);
    assert.equal(updated.LastUpdateStatus, "InProgress");
    for (let i = 0; i < 50; i++) {
      const now = (await aws(
        "lambda",
        "get-function-configuration",
        "--function-name",
        "noop",
      )) as {
        LastUpdateStatus: string;
      };
      if (now.LastUpdateStatus === "Successful") break;
      await sleep(100);
    }

    const published = (await aws("lambda", "publish-version", "--function-name", "noop")) as {
      Version: string;
      MemorySize: number;
      Description: string;
    };
    assert.equal(published.Version, "1");
    assert.equal(published.MemorySize, 512);
    assert.equal(published.Description, "via the AWS CLI");

    const listed = (await aws(
      "lambda",
      "list-versions-by-function",
      "--function-name",
      "noop",
    )) as {
      Versions: Array<{ Version: string; MemorySize: number }>;
    };
    assert.deepEqual(
      listed.Versions.map((v) => [v.Version, v.MemorySize]),
      [
        ["$LATEST", 512],
        ["1", 512],
      ],
    );
  });
});
