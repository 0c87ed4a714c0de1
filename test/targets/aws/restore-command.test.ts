import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { Writable } from "node:stream";
import { after, afterEach, before, describe, it } from "node:test";
import {
  DeleteFunctionCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from "@aws-sdk/client-lambda";
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
  afterEach(() => emu.api.faults.clear({ counts: true }));
  after(() => emu.close());

  const env = () => ({ ...process.env, LAMBDA_TUNE_STATE_DIR: emu.stateDir });

  /** A run that published a version at each size and was then killed: its journal stays. */
  async function crashAfter(sizes: readonly number[], runId?: string) {
    const crashed = createAwsTarget({
      functionArg: "crashy",
      endpointUrl: emu.url,
      stateDir: emu.stateDir,
      pid: deadPid(),
      wait: { minDelaySeconds: 0.1 },
      ...(runId !== undefined && { runId }),
    });
    for (const size of sizes) await crashed.prepare(size);
    const path = journalPath(emu.stateDir, ARN);
    return { path, journal: JSON.parse(await readFile(path, "utf8")) };
  }

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
    assert.match(
      io.out(),
      /restored crashy: 640 MB, timeout 9 s, description 'prod' \(put back: memory, timeout, description\)/,
    );
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

  it("counts a journaled version that is already gone as deleted, and finishes", async () => {
    const configBefore = await configurationOf(emu.admin, "crashy");
    const versionsBefore = await versionsOf(emu.admin, "crashy");
    const { path, journal } = await crashAfter([256, 512, 1024]);
    const [first, second, third] = journal.publishedVersions as string[];
    // Someone (or a restore killed after its first delete) removed one of them already.
    await emu.admin.send(new DeleteFunctionCommand({ FunctionName: "crashy", Qualifier: second }));
    const io = captureIo(env());
    assert.equal(await restoreCommand("crashy", { endpointUrl: emu.url }, io), 0, io.err());
    assert.match(io.out(), /restored crashy: 640 MB, timeout 9 s, description 'prod'/);
    assert.match(io.out(), new RegExp(`deleted versions ${first}, ${third} `));
    assert.match(io.out(), new RegExp(`version ${second} was already deleted`));
    assert.deepEqual(await configurationOf(emu.admin, "crashy"), configBefore);
    assert.deepEqual(await versionsOf(emu.admin, "crashy"), versionsBefore);
    assert.equal(existsSync(path), false);
  });

  it("resumes a restore that failed part-way", async () => {
    const configBefore = await configurationOf(emu.admin, "crashy");
    const versionsBefore = await versionsOf(emu.admin, "crashy");
    const { path, journal } = await crashAfter([256, 512, 1024]);
    const versions = journal.publishedVersions as string[];
    // The first restore puts the configuration back and deletes one version; every later delete fails.
    emu.api.faults.inject({ operation: "DeleteFunction", kind: "500", after: 1, times: 100 });
    const first = captureIo(env());
    await assert.rejects(restoreCommand("crashy", { endpointUrl: emu.url }, first), (error) => {
      assert.match(String(error), /could not restore crashy/);
      return true;
    });
    assert.ok(existsSync(path), "the journal stays for the next restore");
    assert.equal((await configurationOf(emu.admin, "crashy")).MemorySize, 640);
    emu.api.faults.clear();
    const second = captureIo(env());
    assert.equal(await restoreCommand("crashy", { endpointUrl: emu.url }, second), 0, second.err());
    assert.match(second.out(), /crashy already had its configuration from before the run/);
    assert.match(second.out(), new RegExp(`deleted versions ${versions.slice(1).join(", ")} `));
    assert.match(second.out(), new RegExp(`version ${versions[0]} was already deleted`));
    assert.deepEqual(await configurationOf(emu.admin, "crashy"), configBefore);
    assert.deepEqual(await versionsOf(emu.admin, "crashy"), versionsBefore);
    assert.equal(existsSync(path), false);
  });

  it("refuses a truncated journal, naming it, and changes nothing", async () => {
    const { path } = await crashAfter([256]);
    const text = await readFile(path, "utf8");
    await writeFile(path, text.slice(0, 80));
    const changed = await configurationOf(emu.admin, "crashy");
    const versions = await versionsOf(emu.admin, "crashy");
    const calls = emu.api.faults.allCalls();
    for (const command of [
      () => restoreCommand("crashy", { endpointUrl: emu.url }, captureIo(env())),
      () => checkNoJournal({ stateDir: emu.stateDir, functionArg: "crashy" }),
    ]) {
      await assert.rejects(command, (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, /journal .*crashy\.json is cut short or not JSON/);
        assert.match(error.hint ?? "", /put the function back by hand/);
        return true;
      });
    }
    assert.deepEqual(emu.api.faults.allCalls(), calls, "no call was made");
    assert.deepEqual(await configurationOf(emu.admin, "crashy"), changed);
    assert.deepEqual(await versionsOf(emu.admin, "crashy"), versions);
    // Put it back for the next test.
    await writeFile(path, text);
    assert.equal(await restoreCommand("crashy", { endpointUrl: emu.url }, captureIo(env())), 0);
  });

  it("refuses a journal whose file is another function's, and changes nothing", async () => {
    const { path, journal } = await crashAfter([256]);
    const otherPath = journalPath(emu.stateDir, ARN.replace("crashy", "other"));
    await writeFile(otherPath, JSON.stringify(journal));
    await rm(path);
    const changed = await configurationOf(emu.admin, "crashy");
    for (const name of ["crashy", "other"]) {
      await assert.rejects(
        restoreCommand(name, { endpointUrl: emu.url }, captureIo(env())),
        (error: unknown) => {
          assert.ok(error instanceof UsageError, String(error));
          assert.match(error.message, /other\.json holds the journal of crashy/);
          assert.match(error.hint ?? "", /crashy\.json/);
          return true;
        },
      );
    }
    assert.deepEqual(await configurationOf(emu.admin, "crashy"), changed);
    await writeFile(path, JSON.stringify(journal));
    await rm(otherPath);
    assert.equal(await restoreCommand("crashy", { endpointUrl: emu.url }, captureIo(env())), 0);
  });

  it("ignores a damaged journal of an unrelated function", async () => {
    const unrelated = journalPath(emu.stateDir, ARN.replace("crashy", "unrelated"));
    await writeFile(unrelated, "{");
    try {
      await checkNoJournal({ stateDir: emu.stateDir, functionArg: "crashy" });
      const io = captureIo(env());
      assert.equal(await restoreCommand("crashy", { endpointUrl: emu.url }, io), 0);
      assert.match(io.out(), /nothing to restore/);
    } finally {
      await rm(unrelated);
    }
  });

  it("reports what it put back and what it found changed by someone else, and keeps that", async () => {
    const { path } = await crashAfter([256, 512], "abcd1234");
    // After the kill, a colleague sets the memory; the run's description is still there.
    await emu.admin.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: "crashy", MemorySize: 1792 }),
    );
    await waitUntilFunctionUpdatedV2(
      { client: emu.admin, maxWaitTime: 10, minDelay: 0.1 },
      { FunctionName: "crashy" },
    );
    const io = captureIo(env());
    assert.equal(await restoreCommand("crashy", { endpointUrl: emu.url }, io), 0, io.err());
    assert.match(
      io.out(),
      /crashy was changed by someone else during the run: lambda-tune kept their memory 1792 MB \(640 MB before the run\), put back the description 'prod' and deleted the 2 versions it published/,
    );
    const now = await configurationOf(emu.admin, "crashy");
    assert.equal(now.MemorySize, 1792);
    assert.equal(now.Description, "prod");
    assert.equal(existsSync(path), false);
    // Back to how the other tests expect it.
    await emu.admin.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: "crashy", MemorySize: 640 }),
    );
    await waitUntilFunctionUpdatedV2(
      { client: emu.admin, maxWaitTime: 10, minDelay: 0.1 },
      { FunctionName: "crashy" },
    );
  });

  it("a change racing restore's own update is kept, and the report does not claim it", async () => {
    const { path } = await crashAfter([256], "race0001");
    // The restore's update waits on its way while a colleague sets the memory.
    emu.api.faults.inject({
      operation: "UpdateFunctionConfiguration",
      kind: "delay",
      delayMs: 1000,
    });
    const before = emu.api.faults.calls("UpdateFunctionConfiguration");
    const io = captureIo(env());
    const restoring = restoreCommand("crashy", { endpointUrl: emu.url }, io);
    while (emu.api.faults.calls("UpdateFunctionConfiguration") === before) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await emu.admin.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: "crashy", MemorySize: 2560 }),
    );
    assert.equal(await restoring, 0, io.err());
    assert.match(
      io.out(),
      /kept their memory 2560 MB \(640 MB before the run\), put back the description 'prod'/,
    );
    assert.doesNotMatch(io.out(), /put back the memory/);
    const now = await configurationOf(emu.admin, "crashy");
    assert.equal(now.MemorySize, 2560);
    assert.equal(now.Description, "prod");
    assert.equal(existsSync(path), false);
    await emu.admin.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: "crashy", MemorySize: 640 }),
    );
    await waitUntilFunctionUpdatedV2(
      { client: emu.admin, maxWaitTime: 10, minDelay: 0.1 },
      { FunctionName: "crashy" },
    );
  });
});
