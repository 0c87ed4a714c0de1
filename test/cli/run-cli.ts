import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The built CLI, run as a user would (npm test builds it first). */
export const CLI = fileURLToPath(new URL("../../bin/lambda-tune.js", import.meta.url));
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: readonly string[],
  options: {
    input?: string;
    env?: Record<string, string>;
    cwd?: string;
  } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? ROOT,
      // FORCE_COLOR would win over NO_COLOR; the tests read plain text unless they ask.
      env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: "1", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}
