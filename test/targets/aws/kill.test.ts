import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import {
  configurationOf,
  type Emulator,
  ROOT,
  startEmulator,
  TEST_ENV,
  versionsOf,
} from "./aws-fixture.js";

// The built CLI as a user runs it (npm test builds it first); LAMBDA_TUNE_CLI points elsewhere.
const CLI = process.env.LAMBDA_TUNE_CLI ?? join(ROOT, "bin/lambda-tune.js");

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(args: readonly string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...TEST_ENV, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const finished = new Promise<Finished>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, finished };
}

async function until(condition: () => boolean, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the CLI on the aws target, interrupted", () => {
  let emu: Emulator;
  let env: Record<string, string>;
  const running = new Set<ChildProcess>();
  before(async () => {
    emu = await startEmulator({
      functions: [
        {
          name: "slow",
          handler: "fixtures/functions/io-bound/index.handler",
          memoryMb: 512,
          timeoutSeconds: 5,
          description: "prod",
        },
      ],
    });
    env = {
      LAMBDA_TUNE_STATE_DIR: emu.stateDir,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    };
  });
  afterEach(() => {
    for (const child of running) child.kill("SIGKILL");
    running.clear();
    emu.api.faults.clear({ counts: true });
  });
  after(() => emu.close());

  const runArgs = () => [
    "run",
    "slow",
    "--target",
    "aws",
    "--endpoint-url",
    emu.url,
    "--memory",
    "128,256,512",
    "-n",
    "20",
    "--concurrency",
    "2",
    "--payload",
    '{"waitMs":300}',
    "--json",
  ];

  for (const [signal, exitCode] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    it(`${signal} mid-sweep restores the function and exits ${exitCode}`, async (t) => {
      const configBefore = await configurationOf(emu.admin, "slow");
      const versionsBefore = await versionsOf(emu.admin, "slow");
      const { child, finished } = start(runArgs(), env);
      running.add(child);
      await until(() => emu.api.faults.calls("Invoke") >= 4, "invocations");
      const signalled = performance.now();
      child.kill(signal);
      const result = await finished;
      running.delete(child);
      t.diagnostic(
        `${signal} to exit (restore included): ${Math.round(performance.now() - signalled)} ms`,
      );
      assert.equal(result.code, exitCode, result.stderr);
      // It says the function was restored, not only that it was interrupted.
      assert.match(
        result.stderr,
        new RegExp(
          `interrupted by ${signal}; slow was restored: 512 MB, timeout 5 s, description 'prod'; the (\\d+ versions|version) it published (were|was) deleted`,
        ),
      );
      assert.equal(result.stdout, "");
      assert.deepEqual(await configurationOf(emu.admin, "slow"), configBefore);
      assert.deepEqual(await versionsOf(emu.admin, "slow"), versionsBefore);
      assert.deepEqual(await readdir(emu.stateDir), []);
    });
  }

  it("SIGKILL leaves a journal; run refuses; `restore` puts everything back, twice", async (t) => {
    const configBefore = await configurationOf(emu.admin, "slow");
    const versionsBefore = await versionsOf(emu.admin, "slow");
    const { child, finished } = start(runArgs(), env);
    running.add(child);
    await until(() => emu.api.faults.calls("Invoke") >= 4, "invocations");
    child.kill("SIGKILL");
    assert.equal((await finished).signal, "SIGKILL");
    running.delete(child);
    assert.equal((await readdir(emu.stateDir)).length, 1);
    assert.match((await configurationOf(emu.admin, "slow")).Description ?? "", /^lambda-tune /);

    const refused = await start(runArgs(), env).finished;
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /previous run's journal[\s\S]*lambda-tune restore slow/);
    // The hint reaches the function as the run did: the command it names works as given.
    assert.ok(
      refused.stderr.includes(
        `lambda-tune restore slow --region us-east-1 --endpoint-url ${emu.url}`,
      ),
      refused.stderr,
    );

    // Without --endpoint-url, restore goes where the run went (the journal says).
    const restoreArgs = ["restore", "slow"];
    const started = performance.now();
    const restored = await start(restoreArgs, env).finished;
    t.diagnostic(
      `restore after SIGKILL: ${Math.round(performance.now() - started)} ms (process start included)`,
    );
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, /restored slow: 512 MB, timeout 5 s, description 'prod'/);
    assert.match(restored.stdout, /deleted versions \d+ \(published by run [0-9a-f]+\)/);
    assert.deepEqual(await configurationOf(emu.admin, "slow"), configBefore);
    assert.deepEqual(await versionsOf(emu.admin, "slow"), versionsBefore);
    assert.deepEqual(await readdir(emu.stateDir), []);

    const again = await start(restoreArgs, env).finished;
    assert.equal(again.code, 0);
    assert.match(again.stdout, /nothing to restore/);
  });
});
