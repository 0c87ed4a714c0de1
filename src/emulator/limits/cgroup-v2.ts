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
import { CgroupGroup } from "./cgroup-group.js";
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

class CgroupV2Group extends CgroupGroup {
  readonly kind = "cgroup-v2";

  get cgroupDirs(): readonly string[] {
    return [this.dir];
  }

  constructor(
    readonly dir: string,
    private readonly onDisposed: () => void,
  ) {
    super();
  }

  launch(command: string, args: readonly string[]): { command: string; args: string[] } {
    return cgroupLaunchWrapper([`${this.dir}/cgroup.procs`], command, args);
  }

  protected kernelPeakBytes(): number | undefined {
    return readNumber(this.dir, "memory.peak");
  }

  protected kernelOutOfMemoryKilled(): boolean {
    const events = readCgroupFile(this.dir, "memory.events");
    return events !== undefined && oomKillsFromMemoryEvents(events) > 0;
  }

  protected async remove(): Promise<void> {
    if (existsSync(`${this.dir}/cgroup.kill`)) {
      try {
        writeCgroupFile(this.dir, "cgroup.kill", "1");
      } catch {
        // removeCgroupDir kills process by process instead.
      }
    }
    await removeCgroupDir(this.dir);
    this.onDisposed();
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
    readonly notes?: readonly string[],
  ) {}

  async createGroup(name: string, limits: SandboxLimits): Promise<LimitGroup> {
    assertGroupName(name);
    if (this.#disposed) throw new Error("the cgroup v2 backend is already disposed");
    const dir = `${this.parent}/${name}`;
    const settings = cgroupV2Settings(limits);
    const group = new CgroupV2Group(dir, () => this.#groups.delete(group));
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
