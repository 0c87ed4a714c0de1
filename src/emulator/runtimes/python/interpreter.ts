import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { UsageError } from "../../../errors.js";
import type { RuntimeRequest } from "../family.js";

/** A Python interpreter found on this machine, resolved to the program to spawn. */
export interface PythonInterpreter {
  /** `sys.executable`: spawned directly, so a shim (pyenv's) adds nothing to each Init. */
  path: string;
  /** `3.11.2` */
  version: string;
  /** `3.11` */
  minor: string;
  /** Where it came from, for messages: `--python`, `.venv`, `python3 on PATH`. */
  source: string;
}

/** The oldest Python the runtime client (./bootstrap.py) runs on. */
const OLDEST = [3, 8] as const;

const QUERY = "import sys, json; print(json.dumps([sys.executable, list(sys.version_info[:3])]))";

type Queried = { path: string; version: number[] } | { error: string };

/** Asks `command` for its own path and version; an error in words when it cannot run. */
function query(command: string, env: RuntimeRequest["env"], cwd: string): Promise<Queried> {
  return new Promise((done) => {
    execFile(
      command,
      ["-c", QUERY],
      { env: { ...env }, cwd, timeout: 20_000, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error !== null) {
          const code = (error as NodeJS.ErrnoException).code;
          const why =
            code === "ENOENT"
              ? "not found"
              : code === "EACCES"
                ? "not executable"
                : (stderr.trim().split("\n").at(-1) ?? error.message);
          return done({ error: why || error.message });
        }
        try {
          const [path, version] = JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as [
            string,
            number[],
          ];
          done({ path: path === "" ? command : path, version });
        } catch {
          done({ error: `it printed ${JSON.stringify(stdout.slice(0, 200))}, not its version` });
        }
      },
    );
  });
}

function usable(
  queried: Queried,
  source: string,
  failure: (why: string) => UsageError,
): PythonInterpreter {
  if ("error" in queried) throw failure(queried.error);
  const [major = 0, minor = 0, micro = 0] = queried.version;
  if (major !== OLDEST[0] || minor < OLDEST[1]) {
    throw failure(
      `it is Python ${major}.${minor}.${micro}; the runtime client needs Python ${OLDEST.join(".")} or newer`,
    );
  }
  return {
    path: queried.path,
    version: `${major}.${minor}.${micro}`,
    minor: `${major}.${minor}`,
    source,
  };
}

/** `.venv` or `venv` in the task root, else in a directory above it up to `cwd`. */
function virtualEnvironment(taskRoot: string, cwd: string): string | undefined {
  const top = resolve(cwd);
  const inside = !relative(top, taskRoot).startsWith("..");
  for (let dir = taskRoot; ; dir = dirname(dir)) {
    for (const name of [".venv", "venv"]) {
      for (const program of ["python", "python3"]) {
        const candidate = join(dir, name, "bin", program);
        if (existsSync(candidate)) return candidate;
      }
    }
    if (!inside || dir === top || dirname(dir) === dir) return undefined;
  }
}

/**
 * The interpreter for a handler in `taskRoot`: `--python`, else a virtual
 * environment in the task root (or above it, up to the current directory),
 * else `python3.N` on PATH when `--runtime python3.N` asks for it, else
 * `python3` on PATH. A UsageError that says how to point at one otherwise.
 */
export async function findPythonInterpreter(
  taskRoot: string,
  request: RuntimeRequest,
): Promise<PythonInterpreter> {
  const hint =
    "Give --python the path of a Python 3.8 or newer interpreter (e.g. --python /usr/bin/python3), " +
    `create a virtual environment in the task root (python3 -m venv ${join(taskRoot, ".venv")}), ` +
    "or install Python 3 (Debian: apt-get install python3).";
  if (request.python !== undefined) {
    const command = request.python.includes("/")
      ? resolve(request.cwd, request.python)
      : request.python;
    return usable(
      await query(command, request.env, request.cwd),
      "--python",
      (why) =>
        new UsageError(`--python ${request.python} cannot run the handler: ${why}`, { hint }),
    );
  }
  const venv = virtualEnvironment(taskRoot, request.cwd);
  if (venv !== undefined) {
    return usable(
      await query(venv, request.env, request.cwd),
      relative(request.cwd, dirname(dirname(venv))) || ".",
      (why) =>
        new UsageError(`the virtual environment's ${venv} cannot run the handler: ${why}`, {
          hint: `Recreate it (python3 -m venv --clear ${dirname(dirname(venv))}), or give --python another interpreter.`,
        }),
    );
  }
  const asked = /^python(3\.\d+)$/.exec(request.runtime ?? "")?.[1];
  const commands = asked === undefined ? ["python3"] : [`python${asked}`, "python3"];
  const reasons: string[] = [];
  for (const command of commands) {
    const queried = await query(command, request.env, request.cwd);
    if ("error" in queried) {
      reasons.push(`${command}: ${queried.error}`);
      continue;
    }
    return usable(
      queried,
      `${command} on PATH`,
      (why) => new UsageError(`${command} on PATH cannot run the handler: ${why}`, { hint }),
    );
  }
  throw new UsageError(`no Python interpreter found (${reasons.join("; ")})`, { hint });
}
