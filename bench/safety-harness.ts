// Real processes for the safety benchmark: `lambda-tune emulate`, `lambda-tune run` and
// `restore` as a user runs them, the emulator's test hooks, and the function's state.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CloudWatchLogsClient, paginateFilterLogEvents } from "@aws-sdk/client-cloudwatch-logs";
import {
  type FunctionConfiguration,
  GetFunctionConfigurationCommand,
  LambdaClient,
  paginateListVersionsByFunction,
} from "@aws-sdk/client-lambda";
import type { FaultSpec } from "../src/emulator/api/faults.js";
import { readOwnCgroupFiles } from "../src/emulator/limits/detect.js";
import { ownCgroupV1Directory, ownCgroupV2Directory } from "../src/emulator/limits/own-cgroup.js";
import { parseLogTail } from "../src/logs/parser.js";
import type { ReportRecord } from "../src/logs/record.js";
import { signedFetch } from "../test/emulator/api/signed-fetch.js";

export const ROOT = fileURLToPath(new URL("../", import.meta.url));
const CLI = join(ROOT, "bin/lambda-tune.js");
export const CREDENTIALS = { accessKeyId: "bench", secretAccessKey: "bench-secret" };

/** What the CLI needs to talk to the emulator: its key pair, a region, a journal directory. */
export function cliEnv(stateDir: string): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    NO_COLOR: "1",
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_REGION: "us-east-1",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_PAGER: "",
    LAMBDA_TUNE_STATE_DIR: stateDir,
  };
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The built CLI as a real process. */
export function cli(
  args: readonly string[],
  env: Record<string, string>,
): { child: ChildProcess; finished: Promise<Finished> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const finished = new Promise<Finished>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, finished };
}

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/** `lambda-tune emulate` in its own process, with the bench's key pair. */
export class EmulateProcess {
  readonly admin: LambdaClient;
  readonly logs: CloudWatchLogsClient;
  readonly stateDir = mkdtempSync(join(tmpdir(), "lambda-tune-bench-safety-"));

  private constructor(
    readonly process: ChildProcess,
    readonly url: string,
  ) {
    const common = { endpoint: url, region: "us-east-1", credentials: CREDENTIALS, maxAttempts: 8 };
    this.admin = new LambdaClient(common);
    this.logs = new CloudWatchLogsClient(common);
  }

  static async start(functions: readonly string[], handler: string): Promise<EmulateProcess> {
    const args = ["emulate", "--memory", "512", "--timeout", "5", "--isolation", "none"];
    for (const name of functions) args.push("--function", `${name}=${handler}`);
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: cliEnv(""),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
        out += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(out);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      child.once("exit", (code) => reject(new Error(`emulate exited (${code}) before listening`)));
    });
    return new EmulateProcess(child, url);
  }

  private async control(path: string, method = "GET", body?: unknown): Promise<unknown> {
    const response = await signedFetch(
      `${this.url}/_emulator/${path}`,
      { method, ...(body !== undefined && { body: JSON.stringify(body) }) },
      CREDENTIALS,
    );
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} /_emulator/${path}: ${response.status} ${text}`);
    return text === "" ? undefined : JSON.parse(text);
  }

  async calls(): Promise<Record<string, number>> {
    return ((await this.control("calls")) as { calls: Record<string, number> }).calls;
  }

  async inject(...specs: FaultSpec[]): Promise<void> {
    await this.control("faults", "POST", specs);
  }

  async clearFaults(): Promise<void> {
    await this.control("faults", "DELETE");
  }

  /** Everything a run may change: the configuration (but revision and time) and the versions. */
  async snapshot(name: string): Promise<string> {
    const config = (await this.admin.send(
      new GetFunctionConfigurationCommand({ FunctionName: name }),
    )) as FunctionConfiguration & { $metadata?: unknown };
    const { LastModified: _m, RevisionId: _r, $metadata: _x, ...rest } = config;
    const versions: string[] = [];
    for await (const page of paginateListVersionsByFunction(
      { client: this.admin },
      { FunctionName: name },
    )) {
      for (const v of page.Versions ?? [])
        versions.push(`${v.Version} ${v.MemorySize} ${v.Description}`);
    }
    return JSON.stringify({ config: rest, versions });
  }

  journals(): string[] {
    return readdirSync(this.stateDir).filter((file) => file.endsWith(".json"));
  }

  /** Every REPORT the function wrote: what an account would be billed for. */
  async billed(name: string): Promise<ReportRecord[]> {
    const records: ReportRecord[] = [];
    try {
      for await (const page of paginateFilterLogEvents(
        { client: this.logs },
        { logGroupName: `/aws/lambda/${name}`, filterPattern: '"REPORT RequestId"' },
      )) {
        for (const event of page.events ?? []) {
          const record = parseLogTail(event.message ?? "");
          if (record !== undefined) records.push(record);
        }
      }
    } catch (error) {
      if ((error as Error).name !== "ResourceNotFoundException") throw error;
    }
    return records;
  }

  async stop(): Promise<void> {
    this.admin.destroy();
    this.logs.destroy();
    this.process.kill("SIGTERM");
    await new Promise((resolve) => this.process.once("close", resolve));
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}

/** Live processes (not zombies) whose environment holds `entry`. */
export function processesWith(entry: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) continue;
      const environ = `\0${readFileSync(`/proc/${name}/environ`, "latin1")}`;
      if (environ.includes(`\0${entry}\0`)) found.push(Number(name));
    } catch {}
  }
  return found;
}

/** The lambda-tune-<pid> cgroup directories of these pids, in every hierarchy the tool uses. */
export function cgroupsOf(pids: readonly number[]): string[] {
  const { procSelfCgroup, mountInfo } = readOwnCgroupFiles();
  const dirs = new Set([
    ownCgroupV2Directory(procSelfCgroup, mountInfo),
    ownCgroupV1Directory("cpu", procSelfCgroup, mountInfo),
    ownCgroupV1Directory("memory", procSelfCgroup, mountInfo),
  ]);
  const found: string[] = [];
  for (const dir of dirs) {
    if (dir === undefined) continue;
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {}
    for (const name of names) {
      if (
        pids.some((pid) => name === `lambda-tune-${pid}` || name.startsWith(`lambda-tune-${pid}-`))
      ) {
        found.push(`${dir}/${name}`);
      }
    }
  }
  return found;
}
