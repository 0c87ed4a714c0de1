import { spawn } from "node:child_process";
import { INIT_LIMIT_MS } from "../../lambda.js";
import { RuntimeApiServer } from "../runtime-api.js";
import { type RunAs, runAsFor } from "./run-as.js";
import type { LocatedHandler } from "./runtime.js";

export type ProbeResult =
  | { ok: true }
  | { ok: false; errorType: string; errorMessage: string }
  | { ok: "unknown"; reason: string };

function killGroup(pid: number | undefined): void {
  try {
    process.kill(-(pid ?? 0), "SIGKILL");
  } catch {}
}

/** The last `lines` non-empty lines of `text`, for a message. */
function tail(text: string, lines = 5): string {
  return text.trimEnd().split("\n").filter(Boolean).slice(-lines).join("\n");
}

/**
 * Loads the handler once in a throwaway child process, so a handler that can
 * never run is rejected before the sweep. The module's own code runs here.
 * A runtime without a probe mode (a custom runtime) is started against a
 * Runtime API of its own until it asks for an event, reports an init error or exits.
 */
export function probeHandler(
  handler: LocatedHandler,
  env: Readonly<Record<string, string>>,
): Promise<ProbeResult> {
  // The module's top-level code runs here: as the sandbox's user, as in a sandbox.
  const runAs = runAsFor(handler.runtime, handler.taskRoot);
  if (handler.runtime.probe === undefined) return probeThroughRuntimeApi(handler, env, runAs);
  const { command, args } = runAs.wrap(handler.runtime.probe(handler));
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
    // A probe that takes longer than Lambda's INIT limit proves nothing.
    const timer = setTimeout(() => killGroup(child.pid), INIT_LIMIT_MS);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ ok: "unknown", reason: error.message });
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      // The module may have started processes of its own; they go with the probe.
      killGroup(child.pid);
      const last = stdout.trimEnd().split("\n").at(-1) ?? "";
      try {
        const parsed = JSON.parse(last) as ProbeResult;
        if (typeof parsed === "object" && parsed !== null && "ok" in parsed) return resolve(parsed);
      } catch {}
      resolve({ ok: "unknown", reason: `the probe exited (${signal ?? code}) without a result` });
    });
  });
}

async function probeThroughRuntimeApi(
  handler: LocatedHandler,
  env: Readonly<Record<string, string>>,
  runAs: RunAs,
): Promise<ProbeResult> {
  const api = await RuntimeApiServer.listen();
  const { command, args } = runAs.wrap(handler.runtime.launch(128));
  try {
    return await new Promise<ProbeResult>((resolve) => {
      const child = spawn(command, args, {
        cwd: handler.taskRoot,
        env: { ...env, AWS_LAMBDA_RUNTIME_API: api.address },
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString("utf8")).slice(-8192);
      };
      child.stdout.on("data", keep);
      child.stderr.on("data", keep);
      const done = (result: ProbeResult) => {
        clearTimeout(timer);
        killGroup(child.pid);
        resolve(result);
      };
      const timer = setTimeout(
        () => done({ ok: "unknown", reason: "it did not finish its init in time" }),
        INIT_LIMIT_MS,
      );
      api.onNext(() => done({ ok: true }));
      api.onInitError((report) => {
        let message = report.body;
        try {
          const parsed = JSON.parse(report.body) as { errorMessage?: unknown };
          if (typeof parsed.errorMessage === "string") message = parsed.errorMessage;
        } catch {}
        done({ ok: false, errorType: report.errorType, errorMessage: message });
      });
      child.on("error", (error) =>
        done({ ok: false, errorType: "Runtime.ExitError", errorMessage: error.message }),
      );
      child.on("exit", (code, signal) => {
        // Let the last output arrive.
        setImmediate(() => {
          const how = signal === null ? `exit status ${code}` : `signal: ${signal}`;
          const said = tail(output);
          done({
            ok: false,
            errorType: "Runtime.ExitError",
            errorMessage: `Runtime exited with error: ${how}${said === "" ? "" : `; its output:\n${said}`}`,
          });
        });
      });
    });
  } finally {
    await api.close();
  }
}
