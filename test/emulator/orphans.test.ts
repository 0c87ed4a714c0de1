import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { createFunctionPool } from "../../src/emulator/function-pool.js";
import { readOwnCgroupFiles } from "../../src/emulator/limits/detect.js";
import {
  ownCgroupV1Directory,
  ownCgroupV2Directory,
} from "../../src/emulator/limits/own-cgroup.js";
import type { IsolationKind } from "../../src/emulator/limits/types.js";
import { nodeRuntime } from "../../src/emulator/runtimes/node/runtime.js";
import { isRunning } from "./fixture-pool.js";
import { backendOrReason, selectForThisProcess } from "./limits/select.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = `${ROOT}bin/lambda-tune.js`;
const TASK_ROOT = `${ROOT}fixtures/functions/detached-child`;
const MARK = `LAMBDA_TASK_ROOT=${TASK_ROOT}`;
// The CLI takes a relative handler from its cwd, the task root then.
const CLI_MARK = "_HANDLER=fixtures/functions/detached-child/index.handler";

/** Live processes (not zombies) whose environment holds `entry`: sandboxes of this fixture and what they started. */
function processesWith(entry: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const environ = `\0${readFileSync(`/proc/${name}/environ`, "latin1")}`;
      if (environ.includes(`\0${entry}\0`) && isRunning(Number(name))) found.push(Number(name));
    } catch {}
  }
  return found;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** The directories a process with this pid may have created: its lambda-tune-<pid> groups. */
function cgroupParentsOf(pid: number): string[] {
  const { procSelfCgroup, mountInfo } = readOwnCgroupFiles();
  const dirs = [
    ownCgroupV2Directory(procSelfCgroup, mountInfo),
    ownCgroupV1Directory("cpu", procSelfCgroup, mountInfo),
    ownCgroupV1Directory("memory", procSelfCgroup, mountInfo),
  ];
  return [...new Set(dirs)].flatMap((dir) => {
    if (dir === undefined) return [];
    try {
      return readdirSync(dir)
        .filter((name) => name === `lambda-tune-${pid}` || name.startsWith(`lambda-tune-${pid}-`))
        .map((name) => `${dir}/${name}`);
    } catch {
      return [];
    }
  });
}

const BACKENDS: IsolationKind[] = ["none", "user-space-throttle", "cgroup-v1", "cgroup-v2"];

async function skipReason(kind: IsolationKind): Promise<string | false> {
  const backend = await backendOrReason(kind);
  if (typeof backend === "string") return backend;
  await backend.dispose();
  return false;
}

describe("nothing a sandbox started outlives it", () => {
  for (const kind of BACKENDS) {
    it(`a handler's detached child dies with its sandbox (${kind})`, async (t) => {
      const reason = await skipReason(kind);
      if (reason) return t.skip(reason);
      const isolation = await selectForThisProcess(kind);
      const tag = `detached-${kind}-${process.pid}`;
      const pool = createFunctionPool({
        handler: {
          runtime: nodeRuntime,
          taskRoot: TASK_ROOT,
          handler: "index.handler",
          file: `${TASK_ROOT}/index.mjs`,
        },
        functionName: "detached-child",
        functionVersion: "$LATEST",
        memoryMb: 256,
        timeoutSeconds: 10,
        concurrency: 1,
        cold: false,
        billInit: true,
        region: "us-east-1",
        env: {},
        isolation,
        hostCores: 2,
      });
      let child: number;
      try {
        const invocation = await pool.invoke(JSON.stringify({ tag }));
        child = (JSON.parse(invocation.response ?? "{}") as { pid: number }).pid;
        assert.ok(isRunning(child), "the child runs while the sandbox lives");
      } finally {
        await pool.release();
        await isolation.dispose();
      }
      assert.ok(await until(() => !isRunning(child), 5000), `pid ${child} outlived its sandbox`);
      assert.deepEqual(processesWith(MARK), []);
    });
  }

  for (const kind of BACKENDS) {
    it(`SIGKILL of lambda-tune run leaves no process and no cgroup (${kind})`, async (t) => {
      const reason = await skipReason(kind);
      if (reason) return t.skip(reason);
      const run = spawn(
        process.execPath,
        [
          CLI,
          "run",
          "fixtures/functions/detached-child/index.handler",
          "--memory",
          "128,256",
          "-n",
          "200",
          "--yes",
          "--concurrency",
          "2",
          "--isolation",
          kind,
          "--payload",
          JSON.stringify({ busy: true, tag: `killed-${kind}` }),
          "--json",
        ],
        { cwd: ROOT, stdio: "ignore", env: { ...process.env, NO_COLOR: "1" } },
      );
      const exited = new Promise((resolve) => run.once("exit", resolve));
      try {
        // Sandboxes and the children they left, all busy.
        assert.ok(
          await until(() => processesWith(CLI_MARK).length >= 3, 30_000),
          "the run started",
        );
      } finally {
        run.kill("SIGKILL");
        await exited;
      }
      const gone = await until(() => processesWith(CLI_MARK).length === 0, 10_000);
      assert.ok(gone, `left running: ${processesWith(CLI_MARK).join(", ")}`);
      assert.ok(
        await until(() => cgroupParentsOf(run.pid ?? -1).length === 0, 10_000),
        `left behind: ${cgroupParentsOf(run.pid ?? -1).join(", ")}`,
      );
    });
  }

  it("removes the cgroups of runs that are gone at the next start, and keeps those of live ones", async (t) => {
    const { procSelfCgroup, mountInfo } = readOwnCgroupFiles();
    const parent =
      ownCgroupV1Directory("cpu", procSelfCgroup, mountInfo) ??
      ownCgroupV2Directory(procSelfCgroup, mountInfo);
    const probe = `${parent}/lambda-tune-probe-${process.pid}`;
    try {
      mkdirSync(probe);
      rmdirSync(probe);
    } catch (error) {
      return t.skip(`cannot create groups in ${parent}: ${(error as Error).message}`);
    }
    const dead = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => dead.once("exit", resolve));
    const stale = `${parent}/lambda-tune-${dead.pid}`;
    const live = `${parent}/lambda-tune-${process.ppid}-99`;
    mkdirSync(`${stale}/sandbox-1`, { recursive: true });
    mkdirSync(live);
    try {
      const backend = await selectForThisProcess("none");
      await backend.dispose();
      assert.equal(existsSync(stale), false, "the dead run's groups are gone");
      assert.equal(existsSync(live), true, "a live run's groups stay");
    } finally {
      for (const dir of [`${stale}/sandbox-1`, stale, live]) {
        try {
          rmdirSync(dir);
        } catch {}
      }
    }
  });
});
