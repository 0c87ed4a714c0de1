import { type ChildProcess, spawn } from "node:child_process";
import { INIT_LIMIT_MS, OUT_OF_MEMORY } from "../lambda.js";
import { registerProcessGroup } from "./cleanup.js";
import type { LimitGroup } from "./limits/types.js";
import { killMarkedProcesses, type OrphanGuard, spawnOrphanGuard } from "./orphan-guard.js";
import { peakResidentBytes } from "./process-memory.js";
import { RuntimeApiServer, type RuntimeEvent } from "./runtime-api.js";
import { runAsFor } from "./runtimes/run-as.js";
import type { Runtime } from "./runtimes/runtime.js";

export interface SandboxConfig {
  runtime: Runtime;
  /** `_HANDLER`, relative to taskRoot. */
  handler: string;
  taskRoot: string;
  memoryMb: number;
  functionName: string;
  functionVersion: string;
  region: string;
  logGroupName: string;
  logStreamName: string;
  /** The function's own environment variables (Lambda's reserved ones win). */
  env: Readonly<Record<string, string>>;
  limitGroup: LimitGroup;
}

export type InitOutcome =
  | { ok: true; initDurationMs: number }
  | {
      ok: false;
      initDurationMs: number;
      timedOut: boolean;
      errorType: string;
      errorMessage: string;
    };

/** How one invocation in a sandbox ended; durations from hand-out to the runtime's post. */
export type SandboxResult =
  | { kind: "response"; body: string; durationMs: number }
  | { kind: "error"; errorType: string; body: string; durationMs: number }
  | { kind: "timeout"; durationMs: number }
  | { kind: "crash"; errorType: string; errorMessage: string; durationMs: number };

function messageOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === "string") return parsed.errorMessage;
  } catch {}
  return body;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function lambdaEnvironment(config: SandboxConfig, runtimeApi: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    LANG: "en_US.UTF-8",
    ...config.env,
    // The environment Lambda sets for every function (docs/lambda-facts.md, "Runtime API").
    _HANDLER: config.handler,
    AWS_LAMBDA_RUNTIME_API: runtimeApi,
    LAMBDA_TASK_ROOT: config.taskRoot,
    AWS_LAMBDA_FUNCTION_NAME: config.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: config.functionVersion,
    AWS_LAMBDA_LOG_GROUP_NAME: config.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: config.logStreamName,
    AWS_REGION: config.region,
    AWS_DEFAULT_REGION: config.region,
    // None for OS-only runtimes (provided), as on Lambda.
    ...(config.runtime.executionEnv !== undefined && {
      AWS_EXECUTION_ENV: config.runtime.executionEnv,
    }),
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    TZ: "UTC",
  };
}

/**
 * One execution environment: a real child process (its own process group,
 * inside a limit group) running its runtime's client against its own Runtime
 * API server. Serves one invocation at a time.
 */
export class Sandbox {
  readonly init: Promise<InitOutcome>;
  private readonly exited: Promise<Exit>;
  private exit: Exit | undefined;
  private output: Buffer[] = [];
  /** The last few KB of output, kept to recognise the runtime's own out-of-memory report. */
  private recentOutput = "";
  private peakBytes = 0;
  private disposed = false;
  private readonly unregister: () => void;
  /** An environment entry only this sandbox's processes have, their children included. */
  private readonly marker: string;
  private readonly guard: OrphanGuard;

  private constructor(
    readonly config: SandboxConfig,
    private readonly api: RuntimeApiServer,
    private readonly child: ChildProcess,
    spawnedAt: number,
  ) {
    const pid = child.pid ?? -1;
    this.unregister = registerProcessGroup(pid);
    this.marker = `AWS_LAMBDA_RUNTIME_API=${api.address}`;
    // Cleans up after the sandbox should the tool die without doing so (SIGKILL).
    this.guard = spawnOrphanGuard({
      pgid: pid,
      marker: this.marker,
      cgroupDirs: config.limitGroup.cgroupDirs ?? [],
    });
    const capture = (chunk: Buffer) => {
      this.output.push(chunk);
      this.recentOutput = (this.recentOutput + chunk.toString("utf8")).slice(-8192);
    };
    child.stdout?.on("data", capture);
    child.stderr?.on("data", capture);
    this.exited = new Promise((resolve) => {
      child.on("exit", (code, signal) => {
        this.exit = { code, signal };
        this.unregister();
        resolve(this.exit);
      });
    });
    this.init = this.waitForInit(spawnedAt);
  }

  static async start(config: SandboxConfig): Promise<Sandbox> {
    const api = await RuntimeApiServer.listen();
    // Inside its limits first (as root, for cgroups), then as the sandbox's user.
    const runtime = runAsFor(config.runtime, config.taskRoot).wrap(
      config.runtime.launch(config.memoryMb),
    );
    const launch = config.limitGroup.launch(runtime.command, runtime.args);
    const spawnedAt = performance.now();
    const child = spawn(launch.command, launch.args, {
      cwd: config.taskRoot,
      env: lambdaEnvironment(config, api.address),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (child.pid === undefined) {
      await api.close();
      const error = await new Promise<Error>((resolve) => child.once("error", resolve));
      throw new Error(`could not start the sandbox: ${error.message}`, { cause: error });
    }
    config.limitGroup.attach(child.pid);
    return new Sandbox(config, api, child, spawnedAt);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get alive(): boolean {
    return this.exit === undefined && !this.disposed;
  }

  /** Everything the process wrote since the last call. */
  takeOutput(): string {
    const text = Buffer.concat(this.output).toString("utf8");
    this.output = [];
    return text;
  }

  /** Peak memory of the environment so far, in MB (rounded up), as Max Memory Used reports it. */
  maxMemoryUsedMb(): number {
    this.samplePeak();
    return Math.ceil(this.peakBytes / (1024 * 1024));
  }

  private samplePeak(): void {
    const bytes = this.config.limitGroup.peakMemoryBytes() ?? peakResidentBytes(this.pid);
    if (bytes !== undefined && bytes > this.peakBytes) this.peakBytes = bytes;
  }

  private async waitForInit(spawnedAt: number): Promise<InitOutcome> {
    const outcome = await new Promise<InitOutcome | Exit>((resolve) => {
      const timer = setTimeout(() => {
        resolve({
          ok: false,
          initDurationMs: INIT_LIMIT_MS,
          timedOut: true,
          errorType: "Runtime.InitTimeout",
          errorMessage: `Init phase exceeded ${INIT_LIMIT_MS / 1000} seconds`,
        });
      }, INIT_LIMIT_MS);
      const done = (value: InitOutcome | Exit) => {
        clearTimeout(timer);
        resolve(value);
      };
      this.api.onNext((at) => done({ ok: true, initDurationMs: at - spawnedAt }));
      this.api.onInitError((report) =>
        done({
          ok: false,
          initDurationMs: report.at - spawnedAt,
          timedOut: false,
          errorType: report.errorType,
          errorMessage: messageOf(report.body),
        }),
      );
      this.exited.then(done);
    });
    this.samplePeak();
    if ("ok" in outcome) return outcome;
    const crash = await this.classifyExit(outcome);
    return { ok: false, initDurationMs: performance.now() - spawnedAt, timedOut: false, ...crash };
  }

  /** Runs one event; expected failures (error, timeout, crash, out of memory) are results. */
  async invoke(event: RuntimeEvent, timeoutMs: number): Promise<SandboxResult> {
    // Handed out at once, wherever that falls in the CPU period, as on Lambda (docs/lambda-facts.md, "CPU throttling").
    const delivery = this.api.deliver(event);
    const handedOut = await Promise.race([delivery.handedOut, this.exited]);
    if (typeof handedOut !== "number") {
      this.api.abandon();
      return { kind: "crash", durationMs: 0, ...(await this.classifyExit(handedOut)) };
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(
        () => resolve("timeout"),
        Math.max(0, timeoutMs - (performance.now() - handedOut)),
      );
    });
    const ended = await Promise.race([delivery.result, this.exited, timedOut]);
    clearTimeout(timer);
    if (ended === "timeout") {
      this.api.abandon();
      this.samplePeak();
      await this.kill();
      return { kind: "timeout", durationMs: timeoutMs };
    }
    if ("kind" in ended) {
      // A runtime over its CPU quota ends its work only after the refill.
      const resumedAt = await this.config.limitGroup.settle?.();
      this.samplePeak();
      // Pipes are written synchronously by the runtime; one turn lets their data arrive here.
      await new Promise((resolve) => setImmediate(resolve));
      const durationMs = Math.max(ended.at, resumedAt ?? 0) - handedOut;
      if (ended.kind === "response") return { kind: "response", body: ended.body, durationMs };
      return { kind: "error", errorType: ended.errorType, body: ended.body, durationMs };
    }
    this.api.abandon();
    const durationMs = performance.now() - handedOut;
    return { kind: "crash", durationMs, ...(await this.classifyExit(ended)) };
  }

  private async classifyExit(exit: Exit): Promise<{ errorType: string; errorMessage: string }> {
    // Let the last output arrive before reading it.
    await new Promise((resolve) => setImmediate(resolve));
    const output = this.recentOutput;
    const limitBytes = this.config.memoryMb * 1024 * 1024;
    const outOfMemory =
      this.config.limitGroup.outOfMemoryKilled() ||
      this.config.runtime.reportsOutOfMemory(output) ||
      (exit.signal === "SIGKILL" && this.peakBytes >= 0.9 * limitBytes);
    const how = exit.signal !== null ? `signal: ${exit.signal}` : `exit status ${exit.code}`;
    const errorType = outOfMemory ? OUT_OF_MEMORY : "Runtime.ExitError";
    if (outOfMemory) this.peakBytes = Math.max(this.peakBytes, limitBytes);
    return { errorType, errorMessage: `Runtime exited with error: ${how}` };
  }

  /**
   * SIGKILLs the whole process group, and the processes the handler started
   * that left it (their own session or group; found by the sandbox's marker
   * in their environment), and waits for the runtime to exit.
   */
  async kill(): Promise<void> {
    // The group may outlive its leader (processes the handler started), so signal it regardless.
    try {
      process.kill(-this.pid, "SIGKILL");
    } catch {}
    killMarkedProcesses(this.marker);
    await this.exited;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.kill();
    await this.api.close();
    await this.config.limitGroup.dispose();
    this.guard.dismiss();
  }
}
