import { randomBytes } from "node:crypto";
import { limitsForMemory } from "./limits/cpu-for-memory.js";
import type { LimitBackend } from "./limits/types.js";
import type { LocatedHandler } from "./runtimes/runtime.js";
import { Sandbox } from "./sandbox.js";
import { SandboxPool } from "./sandbox-pool.js";

export interface FunctionPoolOptions {
  /** The handler, its task root and the runtime that runs it. */
  handler: LocatedHandler;
  functionName: string;
  /** `$LATEST` or a published version number. */
  functionVersion: string;
  memoryMb: number;
  timeoutSeconds: number;
  concurrency: number;
  cold: boolean;
  billInit: boolean;
  region: string;
  env: Readonly<Record<string, string>>;
  isolation: LimitBackend;
  hostCores: number;
  /** The ARN the handler sees in its context; the version's unqualified ARN when absent. */
  invokedFunctionArn?: string;
  onLog?: (log: string, logStreamName: string) => void;
}

// Limit group names must be unique within a backend, across every pool of this process.
let groupsCreated = 0;

/** A Lambda log stream name: `YYYY/MM/DD/[VERSION]` and 32 hex digits. */
export function logStreamName(now: Date, version: string): string {
  const day = now.toISOString().slice(0, 10).replaceAll("-", "/");
  return `${day}/[${version}]${randomBytes(16).toString("hex")}`;
}

/**
 * The sandboxes of one function version at one configuration: each sandbox
 * a real process inside its own limit group for the memory size.
 */
export function createFunctionPool(options: FunctionPoolOptions): SandboxPool {
  const { functionName, functionVersion, memoryMb, region } = options;
  const limits = limitsForMemory(memoryMb, options.hostCores);
  const label = functionVersion === "$LATEST" ? "latest" : `v${functionVersion}`;
  return new SandboxPool({
    memoryMb,
    concurrency: Math.max(1, options.concurrency),
    cold: options.cold,
    // Custom runtimes' INIT has always been billed (docs/lambda-facts.md, "Billing").
    billInit: options.billInit || options.handler.runtime.alwaysBillsInit,
    timeoutSeconds: options.timeoutSeconds,
    invokedFunctionArn:
      options.invokedFunctionArn ??
      `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    functionVersion,
    ...(options.onLog === undefined ? {} : { onLog: options.onLog }),
    newSandbox: async () => {
      groupsCreated += 1;
      const group = await options.isolation.createGroup(
        `${functionName}-${label}-${memoryMb}-${groupsCreated}`,
        limits,
      );
      try {
        return await Sandbox.start({
          runtime: options.handler.runtime,
          handler: options.handler.handler,
          taskRoot: options.handler.taskRoot,
          memoryMb,
          functionName,
          functionVersion,
          region,
          logGroupName: `/aws/lambda/${functionName}`,
          logStreamName: logStreamName(new Date(), functionVersion),
          env: options.env,
          limitGroup: group,
        });
      } catch (error) {
        await group.dispose();
        throw error;
      }
    },
  });
}
