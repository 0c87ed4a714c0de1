import { mkdirSync, readFileSync, rmdirSync } from "node:fs";
import { UsageError } from "../../errors.js";
import {
  readCgroupFile,
  refusedSetting,
  removeStaleGroups,
  writeCgroupFile,
} from "./cgroup-dir.js";
import { CgroupV1Limits, cgroupV1Settings } from "./cgroup-v1.js";
import { CgroupV2Limits, cgroupV2Settings } from "./cgroup-v2.js";
import { limitsForMemory } from "./cpu-for-memory.js";
import { kernelTickWarning, readKernelConfig } from "./kernel-tick.js";
import { NO_LIMITS_WARNING, NoLimits } from "./none.js";
import { ownCgroupV1Directory, ownCgroupV2Directory } from "./own-cgroup.js";
import { hasThreadSchedstat } from "./proc-usage.js";
import type { IsolationKind, LimitBackend } from "./types.js";
import { type ThrottleControlLoop, UserSpaceThrottle } from "./user-space-throttle.js";

export interface LimitBackendOptions {
  /** Force one backend (`--isolation`); forcing an unavailable one is a UsageError. */
  prefer?: IsolationKind | "auto";
  hostCores: number;
  /** Contents of /proc/self/cgroup ("" where there is none). */
  procSelfCgroup: string;
  /** Contents of /proc/self/mountinfo, to find where each hierarchy is mounted. */
  mountInfo: string;
  /** Names the tool's parent group, `lambda-tune-<pid>`. */
  pid: number;
  platform: NodeJS.Platform;
  throttleControlLoop?: ThrottleControlLoop;
  /** The running kernel's configuration ("" when unreadable), for its tick (CONFIG_HZ). */
  kernelConfig?: string;
}

type Probe = { backend: LimitBackend } | { unavailable: string };

const HINTS: Record<IsolationKind, string> = {
  "cgroup-v2":
    "Run inside a cgroup v2 subtree delegated to you with the cpu and memory controllers enabled in its cgroup.subtree_control, or use --isolation auto.",
  "cgroup-v1":
    "Run as root on a host with the cgroup v1 cpu and memory controllers mounted, or use --isolation auto (it falls back to the user-space throttle).",
  "user-space-throttle":
    "The throttle needs Linux with /proc/<pid>/task/<tid>/schedstat; use --isolation none to run without limits.",
  none: "",
};

const NAMES: Record<IsolationKind, string> = {
  "cgroup-v2": "cgroup v2",
  "cgroup-v1": "cgroup v1",
  "user-space-throttle": "the user-space throttle",
  none: "no limits",
};

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? String(error);
}

/** Reads what the selection needs from this process's /proc and the kernel's configuration. */
export function readOwnCgroupFiles(): {
  procSelfCgroup: string;
  mountInfo: string;
  kernelConfig: string;
} {
  const read = (path: string): string => {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return "";
    }
  };
  return {
    procSelfCgroup: read("/proc/self/cgroup"),
    mountInfo: read("/proc/self/mountinfo"),
    kernelConfig: readKernelConfig(),
  };
}

// Each backend of this process gets its own parent, so disposing one leaves the others' groups.
let backendsCreated = 0;
function parentGroupName(pid: number): string {
  backendsCreated += 1;
  return backendsCreated === 1 ? `lambda-tune-${pid}` : `lambda-tune-${pid}-${backendsCreated}`;
}

function makeParent(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (error) {
    // A leftover of an earlier process with the same pid is ours to reuse.
    if (errorCode(error) !== "EEXIST") throw error;
  }
}

function probeCgroupV2(options: LimitBackendOptions): Probe {
  const own = ownCgroupV2Directory(options.procSelfCgroup, options.mountInfo);
  if (own === undefined) return { unavailable: "cgroup v2: no unified hierarchy for this process" };
  const controllers = (readCgroupFile(own, "cgroup.controllers") ?? "").trim().split(/\s+/);
  if (!controllers.includes("cpu") || !controllers.includes("memory")) {
    return {
      unavailable: `cgroup v2: the cpu and memory controllers are not available in ${own} (it has: ${controllers.join(" ") || "none"})`,
    };
  }
  // The tool's own cgroup holds its process, so (unless it is the root) it can
  // only pass controllers down if they were delegated to it that way already.
  const delegated = (readCgroupFile(own, "cgroup.subtree_control") ?? "").trim().split(/\s+/);
  if (!delegated.includes("cpu") || !delegated.includes("memory")) {
    return {
      unavailable: `cgroup v2: cpu and memory are not enabled in ${own}/cgroup.subtree_control, so no delegated subtree exists`,
    };
  }
  const parent = `${own}/${parentGroupName(options.pid)}`;
  try {
    makeParent(parent);
  } catch (error) {
    return { unavailable: `cgroup v2 not writable: ${errorCode(error)} on ${parent}` };
  }
  try {
    writeCgroupFile(parent, "cgroup.subtree_control", "+cpu +memory");
  } catch (error) {
    rmdirSync(parent);
    return {
      unavailable: `cgroup v2: cannot enable cpu and memory below ${parent}: ${errorCode(error)}`,
    };
  }
  const refused = refusedSetting(
    parent,
    extremeLimits(options.hostCores).map((limits) => cgroupV2Settings(limits)[0]!),
  );
  if (refused !== undefined) {
    rmdirSync(parent);
    return {
      unavailable: `cgroup v2: the kernel refuses Lambda's CPU limits below ${parent}: ${refused}`,
    };
  }
  return { backend: new CgroupV2Limits(parent, undefined, tickNotes(options)) };
}

/** The smallest and the largest CPU limit this host will be asked for (128 MB, 10,240 MB). */
function extremeLimits(hostCores: number) {
  return [limitsForMemory(128, hostCores), limitsForMemory(10_240, hostCores)];
}

function tickNotes(options: LimitBackendOptions): string[] {
  const warning = kernelTickWarning(options.kernelConfig ?? "");
  return warning === undefined ? [] : [warning];
}

function probeCgroupV1(options: LimitBackendOptions): Probe {
  const cpu = ownCgroupV1Directory("cpu", options.procSelfCgroup, options.mountInfo);
  const memory = ownCgroupV1Directory("memory", options.procSelfCgroup, options.mountInfo);
  if (cpu === undefined || memory === undefined) {
    return {
      unavailable: `cgroup v1: no ${cpu === undefined ? "cpu" : "memory"} hierarchy is mounted for this process`,
    };
  }
  if (readCgroupFile(cpu, "cpu.cfs_quota_us") === undefined) {
    return { unavailable: `cgroup v1: the kernel has no CFS bandwidth control (${cpu})` };
  }
  const name = parentGroupName(options.pid);
  const parents = { cpu: `${cpu}/${name}`, memory: `${memory}/${name}` };
  try {
    makeParent(parents.cpu);
  } catch (error) {
    return {
      unavailable: `cgroup v1 cpu controller not writable: ${errorCode(error)} on ${parents.cpu}`,
    };
  }
  try {
    makeParent(parents.memory);
  } catch (error) {
    rmdirSync(parents.cpu);
    return {
      unavailable: `cgroup v1 memory controller not writable: ${errorCode(error)} on ${parents.memory}`,
    };
  }
  // The period first, then the smallest and the largest quota (a parent with less CPU refuses it).
  const [smallest, largest] = extremeLimits(options.hostCores).map((l) => cgroupV1Settings(l).cpu);
  const refused = refusedSetting(parents.cpu, [...smallest!, largest![1]!]);
  if (refused !== undefined) {
    rmdirSync(parents.cpu);
    rmdirSync(parents.memory);
    return {
      unavailable: `cgroup v1: the kernel refuses Lambda's CPU limits below ${parents.cpu}: ${refused}`,
    };
  }
  return { backend: new CgroupV1Limits(parents, undefined, tickNotes(options)) };
}

function probeThrottle(options: LimitBackendOptions, fallbackReason?: string): Probe {
  if (options.platform !== "linux" || !hasThreadSchedstat()) {
    return { unavailable: "the user-space throttle needs Linux /proc with per-thread schedstat" };
  }
  return {
    backend: new UserSpaceThrottle({
      hostCores: options.hostCores,
      ...(options.throttleControlLoop ? { controlLoop: options.throttleControlLoop } : {}),
      ...(fallbackReason !== undefined ? { fallbackReason } : {}),
    }),
  };
}

function probe(kind: IsolationKind, options: LimitBackendOptions, fallbackReason?: string): Probe {
  switch (kind) {
    case "cgroup-v2":
      return probeCgroupV2(options);
    case "cgroup-v1":
      return probeCgroupV1(options);
    case "user-space-throttle":
      return probeThrottle(options, fallbackReason);
    case "none":
      return {
        backend: new NoLimits(
          fallbackReason ? `${fallbackReason}; ${NO_LIMITS_WARNING}` : undefined,
        ),
      };
  }
}

/** Attaches the reason to a backend built before it was known (cgroups take it as a constructor argument). */
function withReason(backend: LimitBackend, reason: string): LimitBackend {
  if (backend instanceof CgroupV2Limits) {
    return new CgroupV2Limits(backend.parent, reason, backend.notes);
  }
  if (backend instanceof CgroupV1Limits) {
    return new CgroupV1Limits(backend.parents, reason, backend.notes);
  }
  return backend;
}

/**
 * Removes what earlier runs killed with SIGKILL left beside this process's
 * own groups (`lambda-tune-<pid>` of pids that are gone), in every hierarchy
 * the tool may use, whichever backend this run picks.
 */
async function removeStaleParents(options: LimitBackendOptions): Promise<void> {
  if (options.platform !== "linux") return;
  const dirs = [
    ownCgroupV2Directory(options.procSelfCgroup, options.mountInfo),
    ownCgroupV1Directory("cpu", options.procSelfCgroup, options.mountInfo),
    ownCgroupV1Directory("memory", options.procSelfCgroup, options.mountInfo),
  ];
  for (const dir of new Set(dirs)) if (dir !== undefined) await removeStaleGroups(dir);
}

/**
 * Picks how sandboxes are limited: cgroup v2, else cgroup v1, else the
 * user-space throttle, else nothing; each fallback says why in words. Groups
 * are created only beneath the process's own cgroups.
 */
export async function selectLimitBackend(options: LimitBackendOptions): Promise<LimitBackend> {
  await removeStaleParents(options);
  const prefer = options.prefer ?? "auto";
  if (prefer !== "auto") {
    const result = probe(prefer, options);
    if ("backend" in result) return result.backend;
    throw new UsageError(`--isolation ${prefer} is not available here: ${result.unavailable}`, {
      hint: HINTS[prefer],
    });
  }
  const reasons: string[] = [];
  for (const kind of ["cgroup-v2", "cgroup-v1", "user-space-throttle", "none"] as const) {
    const reason = reasons.length > 0 ? `${reasons.join("; ")}; using ${NAMES[kind]}` : undefined;
    const result = probe(kind, options, reason);
    if ("backend" in result) {
      return reason === undefined || kind === "none" || kind === "user-space-throttle"
        ? result.backend
        : withReason(result.backend, reason);
    }
    reasons.push(result.unavailable);
  }
  throw new Error("unreachable: the none backend is always available");
}
