/**
 * CPU time and memory of a process group, read from /proc. Used by the
 * user-space throttle and the no-limits backend; Linux only.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** State and process group of a process, from /proc/<pid>/stat (comm may hold spaces and parens). */
export function readProcessStat(
  pid: number,
  procRoot = "/proc",
): { state: string; pgrp: number } | undefined {
  const text = readOrUndefined(`${procRoot}/${pid}/stat`);
  if (text === undefined) return undefined;
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const state = fields[0];
  const pgrp = Number(fields[2]);
  return state === undefined || Number.isNaN(pgrp) ? undefined : { state, pgrp };
}

function childrenOf(pid: number, procRoot: string): number[] | undefined {
  let tasks: string[];
  try {
    tasks = readdirSync(`${procRoot}/${pid}/task`);
  } catch {
    return [];
  }
  const children: number[] = [];
  for (const tid of tasks) {
    const text = readOrUndefined(`${procRoot}/${pid}/task/${tid}/children`);
    if (text === undefined) return existsSync(`${procRoot}/${pid}`) ? undefined : [];
    for (const child of text.split(" ")) if (child.trim() !== "") children.push(Number(child));
  }
  return children;
}

/**
 * The live processes of the group led by `leader`: the leader and its
 * descendants still in its process group (from task/<tid>/children, or a scan
 * of /proc where the kernel lacks that file).
 */
export function processGroupMembers(leader: number, procRoot = "/proc"): number[] {
  const members: number[] = [];
  const queue = [leader];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    const stat = readProcessStat(pid, procRoot);
    if (stat === undefined || stat.pgrp !== leader) continue;
    if (stat.state !== "Z" && stat.state !== "X") members.push(pid);
    const children = childrenOf(pid, procRoot);
    if (children === undefined) return scanProcessGroup(leader, procRoot);
    queue.push(...children);
  }
  return members;
}

function scanProcessGroup(pgid: number, procRoot: string): number[] {
  return readdirSync(procRoot)
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      const stat = readProcessStat(pid, procRoot);
      return stat !== undefined && stat.pgrp === pgid && stat.state !== "Z";
    });
}

/**
 * Nanoseconds on CPU of every thread of the given processes, keyed by thread
 * id, from task/<tid>/schedstat: exact, where utime in /proc/<pid>/stat counts
 * in 10 ms ticks, half a Lambda CFS period.
 */
export function cpuNanosByThread(pids: readonly number[], procRoot = "/proc"): Map<number, number> {
  const byThread = new Map<number, number>();
  for (const pid of pids) {
    let tasks: string[];
    try {
      tasks = readdirSync(`${procRoot}/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      const text = readOrUndefined(`${procRoot}/${pid}/task/${tid}/schedstat`);
      const onCpu = text === undefined ? Number.NaN : Number(text.split(" ")[0]);
      if (!Number.isNaN(onCpu)) byThread.set(Number(tid), onCpu);
    }
  }
  return byThread;
}

/** VmRSS and VmHWM of one process in bytes (undefined once it is gone). */
export function readProcessMemory(
  pid: number,
  procRoot = "/proc",
): { rssBytes: number; highWaterBytes: number } | undefined {
  const text = readOrUndefined(`${procRoot}/${pid}/status`);
  if (text === undefined) return undefined;
  const kib = (key: string): number => {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(text);
    return match?.[1] === undefined ? 0 : Number(match[1]) * 1024;
  };
  return { rssBytes: kib("VmRSS"), highWaterBytes: kib("VmHWM") };
}

/** Whether this kernel exposes per-thread schedstat, which the throttle needs. */
export function hasThreadSchedstat(procRoot = "/proc"): boolean {
  return existsSync(`${procRoot}/self/schedstat`);
}
