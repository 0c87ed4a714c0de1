import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type InitErrorReport,
  RuntimeApiServer,
  type RuntimeEvent,
  type RuntimeResult,
} from "../../../src/emulator/runtime-api.js";

export const FUNCTIONS = fileURLToPath(new URL("../../../fixtures/functions/", import.meta.url));

/** Why `command --version` cannot run here (the reason a test is skipped), or false when it can. */
export function missing(command: string, debianPackage: string): string | false {
  const result = spawnSync(command, ["--version"], { stdio: "ignore" });
  if (result.error === undefined && result.status === 0) return false;
  return `${command} cannot be run (on Debian: apt-get install -y --no-install-recommends ${debianPackage})`;
}

/** A temporary task root holding `files` (path -> content); `remove` deletes it. */
export function taskRoot(files: Record<string, string>): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "lambda-tune-runtime-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RuntimeProcessOptions {
  command: string;
  args: readonly string[];
  taskRoot: string;
  handler: string;
  memoryMb?: number;
  env?: Record<string, string>;
}

export type InitResult =
  | { kind: "ready"; initMs: number }
  | { kind: "init-error"; report: InitErrorReport; initMs: number }
  | { kind: "exited"; code: number | null };

/**
 * A runtime client in a real child process, with Lambda's environment, against
 * its own RuntimeApiServer: what a sandbox runs, without limits.
 */
export class RuntimeProcess {
  readonly init: Promise<InitResult>;
  readonly exited: Promise<number | null>;
  private chunks: Buffer[] = [];
  private requests = 0;

  private constructor(
    readonly api: RuntimeApiServer,
    readonly child: ChildProcess,
    spawnedAt: number,
  ) {
    child.stdout?.on("data", (chunk: Buffer) => this.chunks.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => this.chunks.push(chunk));
    this.exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
    this.init = new Promise((resolve) => {
      api.onNext((at) => resolve({ kind: "ready", initMs: at - spawnedAt }));
      api.onInitError((report) =>
        resolve({ kind: "init-error", report, initMs: report.at - spawnedAt }),
      );
      this.exited.then((code) => resolve({ kind: "exited", code }));
    });
  }

  static async start(options: RuntimeProcessOptions): Promise<RuntimeProcess> {
    const api = await RuntimeApiServer.listen();
    const spawnedAt = performance.now();
    const child = spawn(options.command, [...options.args], {
      cwd: options.taskRoot,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        LANG: "C.UTF-8",
        ...options.env,
        // The environment Lambda sets for every function (docs/lambda-facts.md, "Runtime API").
        _HANDLER: options.handler,
        AWS_LAMBDA_RUNTIME_API: api.address,
        LAMBDA_TASK_ROOT: options.taskRoot,
        AWS_LAMBDA_FUNCTION_NAME: "my-function",
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMb ?? 256),
        AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
        AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/my-function",
        AWS_LAMBDA_LOG_STREAM_NAME: "2025/01/01/[$LATEST]0123456789abcdef",
        AWS_REGION: "eu-west-1",
        AWS_DEFAULT_REGION: "eu-west-1",
        AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
        TZ: "UTC",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    return new RuntimeProcess(api, child, spawnedAt);
  }

  /** Everything the process wrote so far, stdout and stderr interleaved. */
  output(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }

  /** Delivers one event and waits for the runtime's post; rejects if the process exits first. */
  async invoke(
    payload: string,
    fields: Partial<RuntimeEvent> = {},
  ): Promise<RuntimeResult & { requestId: string }> {
    const requestId = fields.requestId ?? `request-${++this.requests}`;
    const delivery = this.api.deliver({
      requestId,
      payload,
      deadlineMs: Date.now() + 30_000,
      invokedFunctionArn: "arn:aws:lambda:eu-west-1:000000000000:function:my-function",
      ...fields,
    });
    const ended = await Promise.race([
      delivery.result,
      this.exited.then((code) => ({ exitCode: code })),
    ]);
    if ("exitCode" in ended) {
      throw new Error(
        `the runtime exited (${ended.exitCode}) during ${requestId}:\n${this.output()}`,
      );
    }
    const result = ended;
    // Pipe data written before the post may still be in flight: one turn lets it arrive.
    await new Promise((resolve) => setImmediate(resolve));
    return { ...result, requestId };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    await this.exited;
    await this.api.close();
  }
}
