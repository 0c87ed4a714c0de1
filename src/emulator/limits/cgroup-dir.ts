/** File-system operations on one cgroup directory, shared by the v1 and v2 backends. */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  writeFileSync,
} from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

export function readCgroupFile(dir: string, file: string): string | undefined {
  try {
    return readFileSync(`${dir}/${file}`, "utf8");
  } catch {
    return undefined;
  }
}

export function writeCgroupFile(dir: string, file: string, value: string): void {
  writeFileSync(`${dir}/${file}`, value);
}

/** `key value` lines (memory.events, memory.stat, memory.oom_control) as a map. */
export function parseKeyedCounters(text: string): Map<string, number> {
  const counters = new Map<string, number>();
  for (const line of text.split("\n")) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^-?\d+$/.test(value)) counters.set(key, Number(value));
  }
  return counters;
}

export function readCounter(dir: string, file: string, key: string): number | undefined {
  const text = readCgroupFile(dir, file);
  return text === undefined ? undefined : parseKeyedCounters(text).get(key);
}

export function readNumber(dir: string, file: string): number | undefined {
  const text = readCgroupFile(dir, file)?.trim();
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

function processesIn(dir: string): number[] {
  return (readCgroupFile(dir, "cgroup.procs") ?? "")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map(Number);
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Kill whatever is left in the group, then remove it. rmdir fails with EBUSY
 * until the killed tasks have fully exited, so it is retried for a while.
 */
export async function removeCgroupDir(dir: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!existsSync(dir)) return;
    for (const pid of processesIn(dir)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    try {
      rmdirSync(dir);
      return;
    } catch (error) {
      const code = errorCode(error);
      if (code === "ENOENT") return;
      if (code !== "EBUSY" || Date.now() > deadline) throw error;
    }
    await sleep(10);
  }
}

/**
 * Whether the kernel takes these settings below `parent`: they are written in
 * turn into a scratch child group, removed after. The first refusal in
 * words (file, value, error), or undefined when all were taken.
 */
export function refusedSetting(
  parent: string,
  settings: readonly (readonly [file: string, value: string])[],
): string | undefined {
  const dir = `${parent}/settings-check`;
  try {
    mkdirSync(dir);
  } catch (error) {
    if (errorCode(error) !== "EEXIST") return `cannot create ${dir}: ${errorCode(error)}`;
  }
  try {
    for (const [file, value] of settings) {
      try {
        writeCgroupFile(dir, file, value);
      } catch (error) {
        return `${file} refused ${value} (${errorCode(error) ?? String(error)})`;
      }
    }
    return undefined;
  } finally {
    try {
      rmdirSync(dir);
    } catch {
      // Removed with the parent on dispose.
    }
  }
}

const shellQuote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

/**
 * A command that moves its own shell into the given groups and then execs the
 * real command, so the handler never runs outside its limits even briefly.
 */
export function cgroupLaunchWrapper(
  procsFiles: readonly string[],
  command: string,
  args: readonly string[],
): { command: string; args: string[] } {
  const moves = procsFiles.map((file) => `echo $$ > ${shellQuote(file)}`).join(" && ");
  return { command: "/bin/sh", args: ["-c", `${moves} && exec "$0" "$@"`, command, ...args] };
}

export function assertGroupName(name: string): void {
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name === "." || name === "..") {
    throw new RangeError(`invalid limit group name ${JSON.stringify(name)}`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, another user's.
    return errorCode(error) === "EPERM";
  }
}

function subdirectories(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${dir}/${entry.name}`);
  } catch {
    return [];
  }
}

async function removeTree(dir: string): Promise<void> {
  for (const child of subdirectories(dir)) await removeTree(child);
  await removeCgroupDir(dir);
}

/**
 * Removes the `lambda-tune-<pid>` groups in `dir` whose process is gone:
 * what a run killed with SIGKILL left when its guards could not clean up.
 * Groups of live processes (other runs) are left alone. Returns what it removed.
 */
export async function removeStaleGroups(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const path of subdirectories(dir)) {
    const match = /\/lambda-tune-(\d+)(?:-\d+)?$/.exec(path);
    if (match === null || isAlive(Number(match[1]))) continue;
    try {
      await removeTree(path);
      removed.push(path);
    } catch {
      // Busy or not ours to remove: the next start tries again.
    }
  }
  return removed;
}
