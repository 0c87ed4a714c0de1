import { spawn } from "node:child_process";
import { INIT_LIMIT_MS } from "../../lambda.js";
import { runAsFor } from "./run-as.js";
import type { LocatedHandler } from "./runtime.js";

export type ProbeResult =
  | { ok: true }
  | { ok: false; errorType: string; errorMessage: string }
  | { ok: "unknown"; reason: string };

/**
 * Loads the handler once in a throwaway child process, so a handler that can
 * never run is rejected before the sweep. The module's own code runs here.
 */
export function probeHandler(
  handler: LocatedHandler,
  env: Readonly<Record<string, string>>,
): Promise<ProbeResult> {
  // The module's top-level code runs here: as the sandbox's user, as in a sandbox.
  const { command, args } = runAsFor(handler.runtime, handler.taskRoot).wrap(
    handler.runtime.probe(handler),
  );
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: handler.taskRoot,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "ignore"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout = (stdout + chunk.toString("utf8")).slice(-65536);
    });
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid ?? 0), "SIGKILL");
      } catch {}
      // A probe that takes longer than Lambda's INIT limit proves nothing.
    }, INIT_LIMIT_MS);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ ok: "unknown", reason: error.message });
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      // The module may have started processes of its own; they go with the probe.
      try {
        process.kill(-(child.pid ?? 0), "SIGKILL");
      } catch {}
      const last = stdout.trimEnd().split("\n").at(-1) ?? "";
      try {
        const parsed = JSON.parse(last) as ProbeResult;
        if (typeof parsed === "object" && parsed !== null && "ok" in parsed) return resolve(parsed);
      } catch {}
      resolve({ ok: "unknown", reason: `the probe exited (${signal ?? code}) without a result` });
    });
  });
}
