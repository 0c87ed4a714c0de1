import { existsSync, mkdirSync } from "node:fs";
import {
  assertGroupName,
  cgroupLaunchWrapper,
  parseKeyedCounters,
  readCgroupFile,
  readNumber,
  removeCgroupDir,
  writeCgroupFile,
} from "./cgroup-dir.js";
import { PeriodClock } from "./period-clock.js";
import { readProcessMemory } from "./proc-usage.js";
import type { LimitBackend, LimitGroup, SandboxLimits } from "./types.js";

const MIB = 1024 * 1024;
// The kernel rejects a cpu.max quota below 1 ms.
const MIN_CPU_MAX_QUOTA_US = 1000;

/** The values one sandbox group gets, file by file, in the order they are written. */
export function cgroupV2Settings(limits: SandboxLimits): [file: string, value: string][] {
  const periodUs = Math.round(limits.periodMs * 1000);
  const quotaUs = Math.max(MIN_CPU_MAX_QUOTA_US, Math.round(limits.cpuCores * periodUs));
  return [
    ["cpu.max", `${quotaUs} ${periodUs}`],
    ["memory.max", String(Math.round(limits.memoryMb * MIB))],
    ["memory.swap.max", "0"],
    // Lambda ends the whole environment on out-of-memory, not one process of it.
    ["memory.oom.group", "1"],
  ];
}

const OPTIONAL_V2_FILES = new Set(["memory.swap.max", "memory.oom.group"]);

/** `oom_kill` of a memory.events file (0 when absent). */
export function oomKillsFromMemoryEvents(text: string): number {
  return parseKeyedCounters(text).get("oom_kill") ?? 0;
}

class CgroupV2Group implements LimitGroup {
  readonly kind = "cgroup-v2";
  #pid: number | undefined;
  #disposed: Promise<void> | undefined;
  #finalPeak: number | undefined;
  #finalOom = false;
  #leaderHighWater = 0;
  readonly #clock: PeriodClock;

  constructor(
    readonly dir: string,
    periodMs: number,
    private readonly cpuMax: string,
    private readonly onDisposed: () => void,
  ) {
    this.#clock = new PeriodClock({
      periodMs,
      readPeriods: () =>
        parseKeyedCounters(readCgroupFile(dir, "cpu.stat") ?? "").get("nr_periods"),
    });
  }

  launch(command: string, args: readonly string[]): { command: string; args: string[] } {
    return cgroupLaunchWrapper([`${this.dir}/cgroup.procs`], command, args);
  }

  attach(pid: number): void {
    this.#pid = pid;
    // The sandbox's start-up keeps the group's period timer running: the time to learn its grid.
    this.#clock.learn().catch(() => {});
  }

  async periodStart(): Promise<void> {
    await this.#clock.waitForPeriodStart();
    if (this.#disposed) return;
    // Rewriting cpu.max refills the quota and drops the runtime each CPU kept
    // from earlier periods (up to 1 ms each), which would let the group overrun it.
    writeCgroupFile(this.dir, "cpu.max", this.cpuMax);
  }

  // The kernel's high-water mark (memory.peak) is what the limit is enforced
  // against and catches spikes sampling would miss; it can exceed the limit
  // slightly on OOM, as Lambda's "Max Memory Used" does. It does not count the
  // runtime binary's pages when another cgroup read them first, which Lambda
  // (loading the runtime inside the environment) does, so the leader's VmHWM
  // is taken when larger.
  peakMemoryBytes(): number | undefined {
    if (this.#disposed) return this.#finalPeak;
    if (this.#pid !== undefined) {
      const highWater = readProcessMemory(this.#pid)?.highWaterBytes ?? 0;
      this.#leaderHighWater = Math.max(this.#leaderHighWater, highWater);
    }
    const kernelPeak = readNumber(this.dir, "memory.peak");
    if (kernelPeak === undefined && this.#leaderHighWater === 0) return undefined;
    return Math.max(kernelPeak ?? 0, this.#leaderHighWater);
  }

  outOfMemoryKilled(): boolean {
    if (this.#disposed) return this.#finalOom;
    const events = readCgroupFile(this.dir, "memory.events");
    return events !== undefined && oomKillsFromMemoryEvents(events) > 0;
  }

  dispose(): Promise<void> {
    if (!this.#disposed) {
      this.#clock.stop();
      this.#finalPeak = this.peakMemoryBytes();
      this.#finalOom = this.outOfMemoryKilled();
      if (existsSync(`${this.dir}/cgroup.kill`)) {
        try {
          writeCgroupFile(this.dir, "cgroup.kill", "1");
        } catch {
          // removeCgroupDir kills process by process instead.
        }
      }
      this.#disposed = removeCgroupDir(this.dir).then(this.onDisposed);
    }
    return this.#disposed;
  }
}

/**
 * Limits through cgroup v2: one group per sandbox under the tool's parent
 * group, whose subtree_control enables cpu and memory (see detect.ts).
 */
export class CgroupV2Limits implements LimitBackend {
  readonly kind = "cgroup-v2";
  readonly #groups = new Set<CgroupV2Group>();
  #disposed: Promise<void> | undefined;

  constructor(
    /** The tool's parent group, already created with `+cpu +memory` in its subtree_control. */
    readonly parent: string,
    readonly fallbackReason?: string,
  ) {}

  async createGroup(name: string, limits: SandboxLimits): Promise<LimitGroup> {
    assertGroupName(name);
    if (this.#disposed) throw new Error("the cgroup v2 backend is already disposed");
    const dir = `${this.parent}/${name}`;
    const settings = cgroupV2Settings(limits);
    const cpuMax = settings.find(([file]) => file === "cpu.max")?.[1] ?? "max";
    const group = new CgroupV2Group(dir, limits.periodMs, cpuMax, () => this.#groups.delete(group));
    try {
      mkdirSync(dir);
      this.#groups.add(group);
      for (const [file, value] of settings) {
        if (OPTIONAL_V2_FILES.has(file) && !existsSync(`${dir}/${file}`)) continue;
        writeCgroupFile(dir, file, value);
      }
    } catch (error) {
      await group.dispose();
      throw error;
    }
    return group;
  }

  dispose(): Promise<void> {
    this.#disposed ??= (async () => {
      await Promise.all([...this.#groups].map((group) => group.dispose()));
      await removeCgroupDir(this.parent);
    })();
    return this.#disposed;
  }
}
