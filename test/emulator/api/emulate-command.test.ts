import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
} from "@aws-sdk/client-lambda";
import type { EmulateOptions } from "../../../src/cli/emulate-command.js";
import { isRunning } from "../fixture-pool.js";
import { TEST_PYTHON } from "../runtimes/prepared-pool.js";
import { missing, taskRoot } from "../runtimes/runtime-process.js";
import { CREDENTIALS, ROOT, sleep } from "./api-fixture.js";

// The built CLI, as a user runs it (npm test builds it first).
const CLI = fileURLToPath(new URL("../../../bin/lambda-tune.js", import.meta.url));

/** `lambda-tune emulate` arguments for these options, flags spelled as commander reads them. */
function emulateArgs(options: EmulateOptions): string[] {
  const args = ["emulate"];
  for (const handler of options.function ?? []) args.push("--function", handler);
  for (const variable of options.env ?? []) args.push("--env", variable);
  if (options.passAwsCredentials === true) args.push("--pass-aws-credentials");
  const flags: [keyof EmulateOptions, string][] = [
    ["port", "--port"],
    ["memory", "--memory"],
    ["timeout", "--timeout"],
    ["updateDelay", "--update-delay"],
    ["concurrency", "--concurrency"],
    ["region", "--region"],
    ["isolation", "--isolation"],
    ["runtime", "--runtime"],
    ["python", "--python"],
    ["envVars", "--env-vars"],
  ];
  for (const [key, flag] of flags) {
    const value = options[key];
    if (typeof value === "string") args.push(flag, value);
  }
  if (options.accessKeyId !== undefined) args.push("--access-key-id", options.accessKeyId);
  if (options.secretAccessKey !== undefined) {
    args.push("--secret-access-key", options.secretAccessKey);
  }
  if (options.auth === false) args.push("--no-auth");
  for (const name of options.allowEnv ?? []) args.push("--allow-env", name);
  return args;
}

/** The key pair the tests sign with, given to emulate through its environment. */
const KEYS = {
  AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
};

function withoutKeys(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...rest } = env;
  return rest;
}

interface Emulator {
  child: ChildProcess;
  /** Everything on stdout so far. */
  stdout(): string;
  /** The first stdout line, or undefined when the process ended without one. */
  line: Promise<string | undefined>;
  exited: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>;
}

function emulate(options: EmulateOptions, env: Record<string, string> = KEYS): Emulator {
  const child = spawn(process.execPath, [CLI, ...emulateArgs(options)], {
    cwd: ROOT,
    env: { ...withoutKeys(process.env), NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let announce: (line: string | undefined) => void = () => {};
  const line = new Promise<string | undefined>((resolve) => {
    announce = resolve;
  });
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    const end = stdout.indexOf("\n");
    if (end >= 0) announce(stdout.slice(0, end));
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) =>
    child.on("close", (code, signal) => {
      announce(undefined);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { child, line, exited, stdout: () => stdout };
}

/** Pids of the processes whose parent is `pid` (the sandboxes of the emulator). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter((text) => text !== "")
      .map(Number);
  } catch {
    return [];
  }
}

/** Cgroup directories the emulator with this pid created (`lambda-tune-<pid>...`) that still exist. */
function cgroupsOf(pid: number, dir = "/sys/fs/cgroup", depth = 0): string[] {
  if (depth > 5) return [];
  let entries: string[];
  try {
    entries = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
  return entries.flatMap((name) =>
    name.startsWith(`lambda-tune-${pid}`)
      ? [join(dir, name)]
      : cgroupsOf(pid, join(dir, name), depth + 1),
  );
}

describe("lambda-tune emulate", () => {
  it("announces its port, answers the SDK, and exits 0 on SIGTERM leaving no sandbox behind", async () => {
    const emulator = emulate({
      function: [
        "noop=fixtures/functions/noop/index.handler",
        "echo=fixtures/functions/echo-context/index.handler",
      ],
      memory: "256",
    });
    try {
      await servesAndStops(emulator);
    } finally {
      if (emulator.child.exitCode === null && emulator.child.signalCode === null) {
        emulator.child.kill("SIGKILL");
      }
    }
  });

  async function servesAndStops(emulator: Emulator): Promise<void> {
    const line = await emulator.line;
    if (line === undefined) assert.fail(`no line on stdout: ${(await emulator.exited).stderr}`);
    const match =
      /^lambda-tune emulator listening on http:\/\/127\.0\.0\.1:(\d+) \(functions: noop, echo\)$/.exec(
        line,
      );
    assert.ok(match, line);
    const lambda = new LambdaClient({
      endpoint: `http://127.0.0.1:${match[1]}`,
      region: "us-east-1",
      credentials: CREDENTIALS,
    });
    let sandboxes: number[] = [];
    try {
      const config = await lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: "echo" }),
      );
      assert.equal(config.MemorySize, 256);
      const result = await lambda.send(new InvokeCommand({ FunctionName: "noop" }));
      assert.equal(result.StatusCode, 200);
      sandboxes = childrenOf(emulator.child.pid ?? -1);
      assert.ok(sandboxes.length >= 1, "the warm sandbox is a child of the emulator");
    } finally {
      lambda.destroy();
    }
    emulator.child.kill("SIGTERM");
    const exit = await emulator.exited;
    assert.equal(exit.code, 0, exit.stderr);
    assert.equal(exit.stdout.trim().split("\n").length, 1, "one line on stdout");
    for (let i = 0; i < 20 && sandboxes.some(isRunning); i++) await sleep(50);
    assert.deepEqual(sandboxes.filter(isRunning), []);
    assert.deepEqual(cgroupsOf(emulator.child.pid ?? -1), []);
  }

  it("serves Python and custom-runtime functions with their environment, and says what runs each", {
    skip: missing(TEST_PYTHON, "python3") || missing("curl", "curl"),
  }, async () => {
    const root = taskRoot({ "env.json": JSON.stringify({ py: { TABLE_NAME: "orders" } }) });
    const emulator = emulate({
      function: [
        "py=fixtures/functions/python/env/lambda_function.lambda_handler",
        "shell=fixtures/functions/provided/shell/function.handler",
      ],
      python: TEST_PYTHON,
      env: ["STAGE=dev"],
      envVars: join(root.dir, "env.json"),
      isolation: "none",
    });
    try {
      const line = await emulator.line;
      if (line === undefined) assert.fail(`no line on stdout: ${(await emulator.exited).stderr}`);
      const port = /127\.0\.0\.1:(\d+) \(functions: py, shell\)$/.exec(line)?.[1];
      assert.ok(port, line);
      const lambda = new LambdaClient({
        endpoint: `http://127.0.0.1:${port}`,
        region: "us-east-1",
        credentials: CREDENTIALS,
      });
      try {
        const py = await lambda.send(new InvokeCommand({ FunctionName: "py" }));
        const body = JSON.parse(Buffer.from(py.Payload ?? []).toString("utf8"));
        assert.equal(body.TABLE_NAME, "orders");
        assert.equal(body.STAGE, "dev");
        assert.equal(body.credentials, false);
        const shell = await lambda.send(
          new InvokeCommand({ FunctionName: "shell", Payload: Buffer.from("[1]") }),
        );
        assert.deepEqual(JSON.parse(Buffer.from(shell.Payload ?? []).toString("utf8")).echo, [1]);
      } finally {
        lambda.destroy();
      }
      emulator.child.kill("SIGTERM");
      const exit = await emulator.exited;
      assert.equal(exit.code, 0, exit.stderr);
      assert.match(exit.stderr, /lambda-tune: py runs on python3\.\d+ \(\S+ 3\.\d+\.\d+\)\n/);
      assert.match(exit.stderr, /lambda-tune: shell runs on provided\.al2023 \(\S+\/bootstrap\)\n/);
    } finally {
      if (emulator.child.exitCode === null && emulator.child.signalCode === null) {
        emulator.child.kill("SIGKILL");
      }
      root.remove();
    }
  });

  it("rejects bad input with exit 2 and a hint", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const busyPort = (busy.address() as { port: number }).port;
    try {
      const cases: Array<[EmulateOptions, RegExp]> = [
        [
          { function: ["fixtures/functions/noop/index.handler"] },
          /is not NAME=path\/to\/file\.export/,
        ],
        [
          { function: ["fn=fixtures/functions/missing/index.handler"] },
          /no handler file for fixtures\/functions\/missing/,
        ],
        [{}, /no function to emulate/],
        [
          { function: ["noop=fixtures/functions/noop/index.handler"], runtime: "java21" },
          /unknown --runtime 'java21'[\s\S]*use one of Lambda's runtimes: nodejs20\.x/,
        ],
        [
          { function: ["noop=fixtures/functions/noop/index.handler"], env: ["AWS_REGION=x"] },
          /--env AWS_REGION=x: AWS_REGION is reserved/,
        ],
        [
          { function: ["noop=fixtures/functions/noop/index.handler"], env: ["STAGE"] },
          /--env STAGE has no '='/,
        ],
        [
          { function: ["noop=fixtures/functions/noop/index.handler"], envVars: "missing.env" },
          /cannot read --env-vars missing\.env: no such file/,
        ],
        [
          { function: ["noop=fixtures/functions/noop/index.handler"], port: "http" },
          /--port must be a whole number/,
        ],
        [
          {
            function: ["noop=fixtures/functions/noop/index.handler"],
            port: String(busyPort),
            isolation: "none",
          },
          new RegExp(`port ${busyPort} on 127\\.0\\.0\\.1 is already in use`),
        ],
      ];
      for (const [options, message] of cases) {
        const exit = await emulate(options).exited;
        assert.equal(exit.code, 2, `${JSON.stringify(options)}: ${exit.stderr}`);
        assert.match(exit.stderr, message);
        assert.equal(exit.stdout, "");
      }
    } finally {
      busy.close();
    }
  });

  it("generates a key pair when none is set, prints it ready to use, and refuses any other", async () => {
    const emulator = emulate({ function: ["noop=fixtures/functions/noop/index.handler"] }, {});
    try {
      for (let i = 0; i < 400 && !/--endpoint-url/.test(emulator.stdout()); i++) await sleep(25);
      const out = emulator.stdout();
      const keys =
        /export AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+) AWS_REGION=us-east-1/.exec(out);
      const url = /lambda-tune run noop --endpoint-url (http:\/\/127\.0\.0\.1:\d+)$/m.exec(
        out,
      )?.[1];
      assert.ok(keys && url, out);
      const client = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
        new LambdaClient({ endpoint: url, region: "us-east-1", credentials, maxAttempts: 1 });
      const mine = client({ accessKeyId: keys[1] ?? "", secretAccessKey: keys[2] ?? "" });
      const stranger = client(CREDENTIALS);
      try {
        const config = await mine.send(
          new GetFunctionConfigurationCommand({ FunctionName: "noop" }),
        );
        assert.equal(config.FunctionName, "noop");
        await assert.rejects(
          stranger.send(new GetFunctionConfigurationCommand({ FunctionName: "noop" })),
          { name: "UnrecognizedClientException" },
        );
      } finally {
        mine.destroy();
        stranger.destroy();
      }
      emulator.child.kill("SIGTERM");
      assert.equal((await emulator.exited).code, 0);
    } finally {
      if (emulator.child.exitCode === null) emulator.child.kill("SIGKILL");
    }
  });

  it("refuses half a key pair (exit 2) and warns with --no-auth", async () => {
    const half = await emulate(
      { function: ["noop=fixtures/functions/noop/index.handler"], accessKeyId: "local" },
      {},
    ).exited;
    assert.equal(half.code, 2);
    assert.match(half.stderr, /--access-key-id and --secret-access-key go together/);
    const bad = await emulate({
      function: ["noop=fixtures/functions/noop/index.handler"],
      allowEnv: ["NODE OPTIONS"],
    }).exited;
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--allow-env 'NODE OPTIONS' is not an environment variable name/);
    const open = emulate(
      { function: ["noop=fixtures/functions/noop/index.handler"], auth: false, isolation: "none" },
      {},
    );
    try {
      assert.ok(await open.line);
      open.child.kill("SIGTERM");
      const exit = await open.exited;
      assert.equal(exit.code, 0);
      assert.match(exit.stderr, /warning: --no-auth: any local process can call the emulator/);
    } finally {
      if (open.child.exitCode === null) open.child.kill("SIGKILL");
    }
  });

  const asRoot = process.getuid?.() === 0;
  it("runs handlers as another user, so a handler cannot read emulate's environment", {
    skip: asRoot ? false : "as an ordinary user there is no other user to run handlers as",
  }, async () => {
    const secret = `s3cr3t-${process.pid}-${Date.now()}`;
    const emulator = emulate(
      { function: ["snoop=fixtures/functions/snoop/index.handler"] },
      { ...KEYS, LAMBDA_TUNE_TEST_SECRET: secret },
    );
    try {
      const line = (await emulator.line) ?? "";
      const url = /listening on (\S+)/.exec(line)?.[1];
      assert.ok(url, line);
      const lambda = new LambdaClient({
        endpoint: url,
        region: "us-east-1",
        credentials: CREDENTIALS,
      });
      try {
        const result = await lambda.send(new InvokeCommand({ FunctionName: "snoop" }));
        const body = JSON.parse(new TextDecoder().decode(result.Payload)) as {
          uid: number;
          ppid: number;
          parentEnvironment: string[] | string;
        };
        assert.equal(body.ppid, emulator.child.pid, "the handler's parent is emulate itself");
        assert.notEqual(body.uid, 0, "the handler does not run as root");
        assert.equal(body.parentEnvironment, "EACCES");
        assert.doesNotMatch(JSON.stringify(body), new RegExp(secret));
        assert.doesNotMatch(JSON.stringify(body), /AWS_SECRET_ACCESS_KEY/);
      } finally {
        lambda.destroy();
      }
      emulator.child.kill("SIGTERM");
      assert.equal((await emulator.exited).code, 0);
    } finally {
      if (emulator.child.exitCode === null) emulator.child.kill("SIGKILL");
    }
  });
});
