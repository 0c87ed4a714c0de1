import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { LimitGroup } from "../../src/emulator/limits/types.js";
import { nodeRuntime } from "../../src/emulator/runtimes/node/runtime.js";
import { Sandbox } from "../../src/emulator/sandbox.js";
import { SandboxPool, type SandboxPoolConfig } from "../../src/emulator/sandbox-pool.js";
import { noLimits } from "./no-limits.js";

export const FUNCTIONS = fileURLToPath(new URL("../../fixtures/functions/", import.meta.url));

export interface FixturePoolOptions extends Partial<Omit<SandboxPoolConfig, "newSandbox">> {
  handler?: string;
  env?: Record<string, string>;
  limitGroup?: () => Promise<LimitGroup>;
}

/** A pool running one of fixtures/functions in real sandboxes; `started` lists every sandbox. */
export function fixturePool(fixture: string, options: FixturePoolOptions = {}) {
  const memoryMb = options.memoryMb ?? 256;
  const started: Sandbox[] = [];
  const pool = new SandboxPool({
    memoryMb,
    concurrency: options.concurrency ?? 1,
    cold: options.cold ?? false,
    billInit: options.billInit ?? true,
    timeoutSeconds: options.timeoutSeconds ?? 3,
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${fixture}`,
    newSandbox: async () => {
      const sandbox = await Sandbox.start({
        runtime: nodeRuntime,
        handler: options.handler ?? "index.handler",
        taskRoot: `${FUNCTIONS}${fixture}`,
        memoryMb,
        functionName: fixture,
        functionVersion: "$LATEST",
        region: "eu-west-1",
        logGroupName: `/aws/lambda/${fixture}`,
        logStreamName: "2025/01/01/[$LATEST]0123456789abcdef",
        env: options.env ?? {},
        limitGroup: options.limitGroup === undefined ? noLimits() : await options.limitGroup(),
      });
      started.push(sandbox);
      return sandbox;
    },
  });
  return { pool, started };
}

/** Whether a process exists and is not a zombie (an orphan waiting for init to reap it). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}
