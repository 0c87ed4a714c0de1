import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/**
 * The guard's script (POSIX sh). It blocks reading a pipe only the tool
 * holds; when that returns, the tool is gone (SIGKILL included) and it kills
 * the sandbox's process group (continued first: the user-space throttle may
 * have stopped it), every process still carrying the sandbox's marker in its
 * environment (children that left the group with setsid), and every process
 * in the sandbox's cgroups, then removes those cgroups and, when empty, the
 * tool's parent groups.
 */
const SCRIPT = `
read _ || true
pgid=$1; marker=$2; shift 2
kill -s CONT -- "-$pgid" 2>/dev/null; kill -s KILL -- "-$pgid" 2>/dev/null
for round in 1 2 3; do
  for f in /proc/[0-9]*/environ; do
    if grep -qzxF -- "$marker" "$f" 2>/dev/null; then
      p=\${f#/proc/}; kill -s KILL "\${p%/environ}" 2>/dev/null
    fi
  done
  for d in "$@"; do
    if [ -f "$d/cgroup.procs" ]; then
      while read -r p; do kill -s KILL "$p" 2>/dev/null; done < "$d/cgroup.procs"
    fi
  done
  sleep 0.1
done
for d in "$@"; do
  for i in 1 2 3 4 5 6 7 8 9 10; do
    [ -d "$d" ] || break
    rmdir "$d" 2>/dev/null && break
    sleep 0.1
  done
  parent=\${d%/*}
  case "\${parent##*/}" in lambda-tune-*) rmdir "$parent" 2>/dev/null ;; esac
done
`;

export interface OrphanGuard {
  /** The sandbox was cleaned up in the ordinary way: the guard goes without doing anything. */
  dismiss(): void;
}

/**
 * One guard per sandbox: a detached shell in its own session (so Ctrl-C to
 * the tool's process group does not reach it) that cleans up after the
 * sandbox if the tool dies without doing so. `marker` is an environment entry
 * only this sandbox and its children have (`NAME=value`).
 */
export function spawnOrphanGuard(options: {
  pgid: number;
  marker: string;
  cgroupDirs: readonly string[];
}): OrphanGuard {
  let guard: ChildProcess | undefined;
  try {
    guard = spawn(
      "/bin/sh",
      [
        "-c",
        SCRIPT,
        "lambda-tune-guard",
        String(options.pgid),
        options.marker,
        ...options.cgroupDirs,
      ],
      {
        detached: true,
        stdio: ["pipe", "ignore", "ignore"],
        env: { PATH: "/usr/bin:/bin:/usr/sbin:/sbin" },
      },
    );
    guard.on("error", () => {});
    // Neither the guard nor its pipe keeps the tool alive.
    guard.unref();
    (guard.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  } catch {
    guard = undefined;
  }
  return {
    dismiss() {
      guard?.kill("SIGKILL");
      guard = undefined;
    },
  };
}

/**
 * Kills every process whose environment holds `marker` (`NAME=value`): the
 * children a handler started that left the sandbox's process group. A few
 * rounds, for ones forked while the first was killed. Only processes this
 * user may read are seen, which are the only ones a sandbox can start.
 */
export function killMarkedProcesses(marker: string, rounds = 3): number[] {
  const killed: number[] = [];
  const needle = `\0${marker}\0`;
  for (let round = 0; round < rounds; round++) {
    let found = 0;
    let entries: string[];
    try {
      entries = readdirSync("/proc");
    } catch {
      return killed;
    }
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      let environ: string;
      try {
        environ = readFileSync(`/proc/${entry}/environ`, "latin1");
      } catch {
        continue;
      }
      if (!`\0${environ}`.includes(needle)) continue;
      try {
        process.kill(Number(entry), "SIGKILL");
        killed.push(Number(entry));
        found++;
      } catch {}
    }
    if (found === 0) break;
  }
  return killed;
}
