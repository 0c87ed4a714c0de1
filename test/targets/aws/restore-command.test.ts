import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import type { CliIo } from "../../../src/cli/io.js";
import { restoreCommand } from "../../../src/cli/restore-command.js";
import { UsageError } from "../../../src/errors.js";
import { createAwsTarget } from "../../../src/targets/aws/aws-target.js";
import { checkNoJournal, journalPath } from "../../../src/targets/aws/journal.js";
import {
  configurationOf,
  type Emulator,
  NOOP,
  startEmulator,
  useTestCredentials,
  versionsOf,
} from "./aws-fixture.js";

useTestCredentials();

function captureIo(env: NodeJS.ProcessEnv): CliIo & { out(): string; err(): string } {
  let stdout = "";
  let stderr = "";
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  return {
    stdin: process.stdin,
    stdout: sink((text) => (stdout += text)),
    stderr: sink((text) => (stderr += text)),
    env,
    cwd: process.cwd(),
    stdoutIsTty: false,
    stderrIsTty: false,
    columns: 100,
    stderrColumns: 80,
    now: () => new Date(),
    out: () => stdout,
    err: () => stderr,
  };
}

/** The pid of a process that has exited: the journal of a run killed with SIGKILL. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  return child.pid ?? 999_999;
}

const ARN = "arn:aws:lambda:us-east-1:000000000000:function:crashy";

describe("lambda-tune restore after a hard kill", () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({
      functions: [
        { name: "crashy", handler: NOOP, memoryMb: 640, timeoutSeconds: 9, description: "prod" },
      ],
    });
  });
  after(() => emu.close());

  it("puts everything back from the journal, idempotently", async (t) => {
    const configBefore = await configurationOf(emu.admin, "crashy");
    const versionsBefore = await versionsOf(emu.admin, "crashy");
    const crashed = createAwsTarget({
      functionArg: "crashy",
      endpointUrl: emu.url,
      stateDir: emu.stateDir,
      pid: deadPid(),
      timeoutSeconds: 30,
      wait: { minDelaySeconds: 0.1 },
    });
    await crashed.prepare(128);
    await crashed.prepare(2048);
    // Killed between PublishVersion and the journal update: the version is not in the journal.
    const path = journalPath(emu.stateDir, ARN);
    const journal = JSON.parse(await readFile(path, "utf8"));
    journal.publishedVersions.pop();
    await writeFile(path, JSON.stringify(journal));
    // ...and never restored: the process is gone.
    const changed = await configurationOf(emu.admin, "crashy");
    assert.equal(changed.MemorySize, 2048);
    assert.equal(changed.Timeout, 30);

    await assert.rejects(
      checkNoJournal({ stateDir: emu.stateDir, functionArg: "crashy" }),
      (error: unknown) =>
        error instanceof UsageError &&
        /previous run's journal/.test(error.message) &&
        /lambda-tune restore crashy/.test(error.hint ?? ""),
    );
    await assert.rejects(
      createAwsTarget({
        functionArg: "crashy",
        endpointUrl: emu.url,
        stateDir: emu.stateDir,
      }).describe(),
      /previous run's journal/,
    );

    const env = { ...process.env, LAMBDA_TUNE_STATE_DIR: emu.stateDir };
    const io = captureIo(env);
    const started = performance.now();
    assert.equal(await restoreCommand("crashy", { endpointUrl: emu.url }, io), 0);
    t.diagnostic(`restore after a hard kill: ${Math.round(performance.now() - started)} ms`);
    assert.match(io.out(), /restored crashy: 640 MB, timeout 9 s, description 'prod'/);
    assert.match(io.out(), /deleted versions 1, 2 \(published by run [0-9a-f]+\)/);
    assert.match(io.out(), /removed .*crashy\.json/);
    assert.deepEqual(await configurationOf(emu.admin, "crashy"), configBefore);
    assert.deepEqual(await versionsOf(emu.admin, "crashy"), versionsBefore);
    assert.equal(existsSync(path), false);
    await checkNoJournal({ stateDir: emu.stateDir, functionArg: "crashy" });

    const again = captureIo(env);
    assert.equal(await restoreCommand("crashy", { endpointUrl: emu.url }, again), 0);
    assert.match(again.out(), /no journal for crashy .*nothing to restore/);
  });

  it("refuses while the run that wrote the journal is alive, unless --force", async () => {
    const running = createAwsTarget({
      functionArg: "crashy",
      endpointUrl: emu.url,
      stateDir: emu.stateDir,
      pid: process.ppid,
      wait: { minDelaySeconds: 0.1 },
    });
    await running.prepare(256);
    const env = { ...process.env, LAMBDA_TUNE_STATE_DIR: emu.stateDir };
    await assert.rejects(
      restoreCommand("crashy", { endpointUrl: emu.url }, captureIo(env)),
      (error: unknown) => error instanceof UsageError && /still running/.test(error.message),
    );
    const io = captureIo(env);
    assert.equal(await restoreCommand("crashy", { endpointUrl: emu.url, force: true }, io), 0);
    assert.match(io.out(), /restored crashy/);
    assert.equal((await configurationOf(emu.admin, "crashy")).MemorySize, 640);
  });
});
