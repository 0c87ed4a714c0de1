import { type ChildProcess, spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import { readProcessMemory, readProcessStat } from "./proc-usage.js";
import { processGroupIo, signalGroup, ThrottleSharedState } from "./throttle-io.js";
import { runThrottleLoop, type ThrottleSettings } from "./throttle-loop.js";
import type { LimitBackend, LimitGroup, SandboxLimits } from "./types.js";

const MIB = 1024 * 1024;

/** Where the control loop runs: a worker thread (precise, default) or the tool's event loop. */
export type ThrottleControlLoop = "worker" | "event-loop";

// Under tsx the sources are .ts and a worker does not inherit tsx's loader, so
// the worker registers it itself before importing its entry.
const workerEntry = new URL(
  import.meta.url.endsWith(".ts") ? "./throttle-worker.ts" : "./throttle-worker.js",
  import.meta.url,
).href;
const workerLoader = workerEntry.endsWith(".ts") ? import.meta.resolve("tsx/esm/api") : undefined;
const WORKER_BOOTSTRAP = `
const { workerData } = require("node:worker_threads");
(async () => {
  if (workerData.loader) (await import(workerData.loader)).register();
  await import(workerData.entry);
})();
`;

// Groups still throttled; continued and killed if the tool exits without disposing them.
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function releaseOnExit(pgid: number): void {
  liveGroups.add(pgid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const group of liveGroups) {
      signalGroup(group, "SIGCONT");
      signalGroup(group, "SIGKILL");
    }
  });
}

/**
 * A detached shell that continues and kills the group when its stdin closes:
 * that is, when the tool dies in any way, even SIGKILL, where no exit hook runs.
 */
function spawnOrphanGuard(pgid: number): ChildProcess {
  const guard = spawn(
    "/bin/sh",
    ["-c", 'read _; kill -s CONT -- "-$1"; kill -s KILL -- "-$1"', "lambda-tune-guard", `${pgid}`],
    { detached: true, stdio: ["pipe", "ignore", "ignore"] },
  );
  guard.on("error", () => {});
  guard.unref();
  (guard.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return guard;
}

class ThrottledGroup implements LimitGroup {
  readonly kind = "user-space-throttle";
  readonly #state = new ThrottleSharedState();
  #pgid: number | undefined;
  #loop: Promise<void> | undefined;
  #worker: Worker | undefined;
  #guard: ChildProcess | undefined;
  #disposed: Promise<void> | undefined;

  constructor(private readonly settings: ThrottleSettings) {}

  /** Boots the worker before the sandbox exists, so attach() starts throttling at once. */
  async startWorker(): Promise<void> {
    const worker = new Worker(WORKER_BOOTSTRAP, {
      eval: true,
      workerData: {
        entry: workerEntry,
        loader: workerLoader,
        settings: this.settings,
        buffer: this.#state.buffer,
      },
    });
    worker.unref();
    const ready = await new Promise<boolean>((resolve) => {
      worker.once("message", () => resolve(true));
      worker.once("error", () => resolve(false));
      worker.once("exit", () => resolve(false));
    });
    // A worker that cannot start must not leave the sandbox unlimited: the event loop runs it.
    if (!ready) return;
    this.#worker = worker;
    this.#loop = new Promise((resolve) => {
      worker.once("exit", () => resolve());
      worker.once("error", () => resolve());
    });
  }

  launch(command: string, args: readonly string[]): { command: string; args: string[] } {
    return { command, args: [...args] };
  }

  attach(pid: number): void {
    if (this.#pgid !== undefined) throw new Error("this limit group is already attached");
    if (this.#disposed) throw new Error("this limit group is already disposed");
    if (!Number.isInteger(pid) || pid <= 1) throw new RangeError(`invalid pid ${pid}`);
    const stat = readProcessStat(pid);
    if (stat && stat.pgrp !== pid) {
      throw new Error(
        `process ${pid} leads no process group (its group is ${stat.pgrp}); the user-space throttle needs it spawned with detached: true`,
      );
    }
    this.#pgid = pid;
    releaseOnExit(pid);
    this.#guard = spawnOrphanGuard(pid);
    if (this.#worker) {
      this.#state.setProcessGroup(pid);
    } else {
      const io = processGroupIo(pid, this.#state, (ms) => sleep(ms));
      this.#loop = runThrottleLoop(this.settings, io).finally(() => this.#state.markFinished());
      this.#loop.catch(() => {});
    }
  }

  async settle(): Promise<number | undefined> {
    if (this.#worker === undefined || this.#pgid === undefined || this.#disposed) return undefined;
    const continued = this.#state.continuedCount;
    this.#state.requestCharge();
    // The worker answers within a tick; the bounds only guard against a dead worker.
    if (!(await this.#state.chargeAnswer(100))) return undefined;
    await this.#state.continuedAfter(continued, 5000);
    return performance.now();
  }

  peakMemoryBytes(): number | undefined {
    if (this.#pgid === undefined) return undefined;
    // VmHWM catches spikes between the loop's samples, but only of the leader.
    const highWater = this.#disposed ? undefined : readProcessMemory(this.#pgid)?.highWaterBytes;
    if (highWater !== undefined) this.#state.recordPeak(highWater);
    return this.#state.peakBytes;
  }

  outOfMemoryKilled(): boolean {
    return this.#state.outOfMemory;
  }

  dispose(): Promise<void> {
    this.#disposed ??= (async () => {
      this.peakMemoryBytes();
      this.#state.requestStop();
      this.#guard?.kill("SIGKILL");
      const loopEnded = await Promise.race([
        (this.#loop ?? Promise.resolve()).then(
          () => true,
          () => true,
        ),
        sleep(1000).then(() => false),
      ]);
      if (!loopEnded) await this.#worker?.terminate();
      const pgid = this.#pgid;
      if (pgid === undefined) return;
      signalGroup(pgid, "SIGCONT");
      signalGroup(pgid, "SIGKILL");
      liveGroups.delete(pgid);
    })();
    return this.#disposed;
  }
}

/**
 * Limits without privileges: stops and continues the sandbox's process group
 * as CFS bandwidth control would (throttle-loop.ts: usage checked every tick,
 * debt carried, one period grid), and kills it above its memory. The sandbox
 * must be spawned with `detached: true`, so its pid is its group.
 */
export class UserSpaceThrottle implements LimitBackend {
  readonly kind = "user-space-throttle";
  readonly #groups = new Set<LimitGroup>();
  readonly hostCores: number;
  readonly controlLoop: ThrottleControlLoop;
  readonly fallbackReason?: string;

  constructor(options: {
    hostCores: number;
    controlLoop?: ThrottleControlLoop;
    fallbackReason?: string;
  }) {
    this.hostCores = options.hostCores;
    this.controlLoop = options.controlLoop ?? "worker";
    if (options.fallbackReason !== undefined) this.fallbackReason = options.fallbackReason;
  }

  async createGroup(_name: string, limits: SandboxLimits): Promise<LimitGroup> {
    const settings: ThrottleSettings = {
      quotaNs: limits.cpuCores * limits.periodMs * 1e6,
      periodMs: limits.periodMs,
      tickMs: limits.tickMs,
      memoryLimitBytes: limits.memoryMb * MIB,
    };
    const group = new ThrottledGroup(settings);
    this.#groups.add(group);
    if (this.controlLoop === "worker") await group.startWorker();
    return group;
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.#groups].map((group) => group.dispose()));
    this.#groups.clear();
  }
}
