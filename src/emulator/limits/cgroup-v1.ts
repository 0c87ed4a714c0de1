import { existsSync, mkdirSync } from "node:fs";
import {
  assertGroupName,
  cgroupLaunchWrapper,
  readCounter,
  readNumber,
  removeCgroupDir,
  writeCgroupFile,
} from "./cgroup-dir.js";
import { CgroupGroup } from "./cgroup-group.js";
import type { LimitBackend, LimitGroup, SandboxLimits } from "./types.js";

const MIB = 1024 * 1024;
// The kernel rejects a CFS quota below 1 ms.
const MIN_CFS_QUOTA_US = 1000;

/** The values one sandbox group gets, file by file, in the order they must be written. */
export function cgroupV1Settings(limits: SandboxLimits): {
  cpu: [file: string, value: string][];
  memory: [file: string, value: string][];
} {
  const periodUs = Math.round(limits.periodMs * 1000);
  const quotaUs = Math.max(MIN_CFS_QUOTA_US, Math.round(limits.cpuCores * periodUs));
  const bytes = String(Math.round(limits.memoryMb * MIB));
  return {
    cpu: [
      ["cpu.cfs_period_us", String(periodUs)],
      ["cpu.cfs_quota_us", String(quotaUs)],
    ],
    // memsw must not be below the memory limit, so it is written after it.
    memory: [
      ["memory.limit_in_bytes", bytes],
      ["memory.memsw.limit_in_bytes", bytes],
      ["memory.swappiness", "0"],
    ],
  };
}

const OPTIONAL_V1_FILES = new Set(["memory.memsw.limit_in_bytes", "memory.swappiness"]);

function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

class CgroupV1Group extends CgroupGroup {
  readonly kind = "cgroup-v1";

  get cgroupDirs(): readonly string[] {
    return [this.cpuDir, this.memoryDir];
  }

  constructor(
    readonly cpuDir: string,
    readonly memoryDir: string,
    private readonly onDisposed: () => void,
  ) {
    super();
  }

  launch(command: string, args: readonly string[]): { command: string; args: string[] } {
    return cgroupLaunchWrapper(
      [`${this.cpuDir}/cgroup.procs`, `${this.memoryDir}/cgroup.procs`],
      command,
      args,
    );
  }

  protected kernelPeakBytes(): number | undefined {
    return readNumber(this.memoryDir, "memory.max_usage_in_bytes");
  }

  protected kernelOutOfMemoryKilled(pid: number | undefined): boolean {
    // oom_control reports oom_kill since Linux 4.13; before that, a failed
    // charge and a vanished process is the best evidence there is.
    const kills = readCounter(this.memoryDir, "memory.oom_control", "oom_kill");
    if (kills !== undefined) return kills > 0;
    const failures = readNumber(this.memoryDir, "memory.failcnt") ?? 0;
    return failures > 0 && pid !== undefined && !isAlive(pid);
  }

  protected async remove(): Promise<void> {
    await Promise.all([removeCgroupDir(this.cpuDir), removeCgroupDir(this.memoryDir)]);
    this.onDisposed();
  }
}

/**
 * Limits through cgroup v1: one group per sandbox under the tool's parent
 * group in both the cpu and the memory hierarchy (see detect.ts for where).
 */
export class CgroupV1Limits implements LimitBackend {
  readonly kind = "cgroup-v1";
  readonly #groups = new Set<CgroupV1Group>();
  #disposed: Promise<void> | undefined;

  constructor(
    /** The tool's parent groups, already created, e.g. /sys/fs/cgroup/cpu/lambda-tune-123. */
    readonly parents: { cpu: string; memory: string },
    readonly fallbackReason?: string,
    readonly notes?: readonly string[],
  ) {}

  async createGroup(name: string, limits: SandboxLimits): Promise<LimitGroup> {
    assertGroupName(name);
    if (this.#disposed) throw new Error("the cgroup v1 backend is already disposed");
    const cpuDir = `${this.parents.cpu}/${name}`;
    const memoryDir = `${this.parents.memory}/${name}`;
    const settings = cgroupV1Settings(limits);
    const group = new CgroupV1Group(cpuDir, memoryDir, () => this.#groups.delete(group));
    try {
      mkdirSync(cpuDir);
      this.#groups.add(group);
      mkdirSync(memoryDir);
      for (const [file, value] of settings.cpu) writeCgroupFile(cpuDir, file, value);
      for (const [file, value] of settings.memory) {
        if (OPTIONAL_V1_FILES.has(file)) {
          if (!existsSync(`${memoryDir}/${file}`)) continue;
          try {
            writeCgroupFile(memoryDir, file, value);
          } catch {
            // Optional: only matters where the host has swap.
          }
        } else {
          writeCgroupFile(memoryDir, file, value);
        }
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
      await Promise.all([removeCgroupDir(this.parents.cpu), removeCgroupDir(this.parents.memory)]);
    })();
    return this.#disposed;
  }
}
