import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Launch, Runtime } from "./runtime.js";

/**
 * Lambda runs handlers as an unprivileged user (sbx_user1051), never as root.
 * The emulator does the same when the tool runs as root: sandboxes run as
 * `nobody`, so a handler cannot read the tool's /proc/<pid>/environ (the
 * kernel shows it only to the same user or root), nor signal or trace the
 * tool. As an ordinary user there is no other user to switch to: the handler
 * runs as you, as it would if you ran it yourself.
 */
export const SANDBOX_UID = 65534;
export const SANDBOX_GID = 65534;
const SANDBOX_USER = "nobody";

/** How a sandbox's runtime is started. */
export interface RunAs {
  /** The user the runtime runs as. */
  uid: number;
  /** Why it runs as the tool's own user although the tool is root (a warning), if so. */
  warning?: string;
  /** The command and arguments that start `launch` so. */
  wrap(launch: Launch): Launch;
}

function findSetpriv(path: string | undefined): string | undefined {
  for (const dir of [...(path ?? "").split(delimiter), "/usr/bin", "/bin", "/usr/sbin", "/sbin"]) {
    if (dir === "") continue;
    const candidate = join(dir, "setpriv");
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Absolute paths in a launch the sandbox user must read: files named in its arguments. */
function pathsIn(launch: Launch): string[] {
  const paths: string[] = [];
  for (const arg of launch.args) {
    let path: string | undefined;
    if (arg.startsWith("file://")) path = fileURLToPath(arg);
    else if (isAbsolute(arg)) path = arg;
    if (path !== undefined && existsSync(path)) paths.push(path);
  }
  return paths;
}

// Runs as the sandbox user: prints the first thing it cannot use and fails, else succeeds.
const CHECK = `
cmd="$1"; shift
case "$cmd" in
  /*) test -x "$cmd" || { echo "$cmd"; exit 1; } ;;
  *) command -v "$cmd" >/dev/null 2>&1 || { echo "$cmd"; exit 1; } ;;
esac
for f in "$@"; do test -r "$f" || { echo "$f"; exit 1; }; done
`;

/** What the sandbox user cannot read or run of `launch` and `taskRoot`, if anything. */
function unreachable(setpriv: string, launch: Launch, taskRoot: string): string | undefined {
  const result = spawnSync(
    setpriv,
    [
      `--reuid=${SANDBOX_UID}`,
      `--regid=${SANDBOX_GID}`,
      "--clear-groups",
      "--",
      "/bin/sh",
      "-c",
      CHECK,
      "sh",
      launch.command,
      taskRoot,
      ...pathsIn(launch),
      // Node.js resolves packages there (a TypeScript bundle links the project's).
      ...(existsSync(join(taskRoot, "node_modules")) ? [join(taskRoot, "node_modules")] : []),
    ],
    { encoding: "utf8", cwd: "/", env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } },
  );
  if (result.error !== undefined) return `${setpriv} (${result.error.message})`;
  return result.status === 0 ? undefined : result.stdout.trim() || "the runtime";
}

const cache = new Map<string, RunAs>();

/**
 * How sandboxes of `runtime` with this task root run: as `nobody` when the
 * tool is root and nobody can read the task root and run the runtime (a
 * warning says why not, otherwise), else as the tool's user. Either way
 * under a parent-death signal where setpriv exists, so the runtime dies with
 * the tool even after SIGKILL. Decided once per runtime and task root.
 */
export function runAsFor(runtime: Runtime, taskRoot: string): RunAs {
  const key = `${runtime.name}\0${taskRoot}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const decided = decide(runtime, taskRoot);
  cache.set(key, decided);
  return decided;
}

function decide(runtime: Runtime, taskRoot: string): RunAs {
  const setpriv = findSetpriv(process.env.PATH);
  const self = process.getuid?.() ?? -1;
  const withGuard = (prefix: string[]): RunAs["wrap"] =>
    setpriv === undefined
      ? (launch) => launch
      : (launch) => ({
          command: setpriv,
          args: [...prefix, "--pdeathsig", "KILL", "--", launch.command, ...launch.args],
        });
  if (self !== 0) return { uid: self, wrap: withGuard([]) };
  if (setpriv === undefined) {
    return {
      uid: 0,
      warning: `handlers run as root: setpriv (util-linux) is not installed to run them as ${SANDBOX_USER}, so a handler can read lambda-tune's environment; install util-linux, or run lambda-tune as an ordinary user`,
      wrap: (launch) => launch,
    };
  }
  const missing = unreachable(setpriv, runtime.launch(128), taskRoot);
  if (missing !== undefined) {
    return {
      uid: 0,
      warning: `handlers run as root: ${SANDBOX_USER} cannot use ${missing}, so a handler can read lambda-tune's environment; make it and its directories readable by others (chmod o+rX), or run lambda-tune as an ordinary user`,
      wrap: withGuard([]),
    };
  }
  return {
    uid: SANDBOX_UID,
    wrap: withGuard([
      `--reuid=${SANDBOX_UID}`,
      `--regid=${SANDBOX_GID}`,
      "--clear-groups",
      // No setuid binary inside the sandbox can give root back.
      "--no-new-privs",
    ]),
  };
}
