import { createFunctionPool } from "../../emulator/function-pool.js";
import type { LimitBackend } from "../../emulator/limits/types.js";
import type { SandboxPool } from "../../emulator/sandbox-pool.js";
import { UsageError } from "../../errors.js";
import type { Architecture, FunctionInfo, PreparedSize, Target } from "../target.js";
import { defaultFunctionName, type LocalHandler, locateLocalHandler } from "./handler-spec.js";
import { probeHandler } from "./probe-handler.js";

// LAMBDA-FACTS: 1,769 MB is one full vCPU; memory is 128..10,240 MB.
const MB_PER_VCPU = 1769;
const MIN_MEMORY_MB = 128;
const MAX_MEMORY_MB = 10_240;
// Errors no retry can fix: the user has to change the handler (or install its dependencies).
const USAGE_INIT_ERRORS = new Set([
  "Runtime.ImportModuleError",
  "Runtime.HandlerNotFound",
  "Runtime.UserCodeSyntaxError",
  "Runtime.MalformedHandlerName",
]);

export interface LocalTargetOptions {
  /** Lambda-style `path/to/file.export`, relative to `cwd` (the task root) or absolute. */
  handler: string;
  cwd?: string;
  functionName?: string;
  /** The function timeout, whole seconds (LAMBDA-FACTS: 1..900, default 3). */
  timeoutSeconds?: number;
  /** A new sandbox, so a cold start, for every invocation. */
  cold?: boolean;
  /** Sandboxes per memory size that may run at once. */
  concurrency?: number;
  /** Bill the INIT phase on cold starts (Lambda since August 2025); false for the older rule. */
  billInit?: boolean;
  /** How limits are enforced; the target owns it from here and disposes it in restore(). */
  isolation: LimitBackend;
  hostCores: number;
  /** The function's environment variables. */
  env?: Readonly<Record<string, string>>;
  region?: string;
  architecture?: Architecture;
  /** The sizes the sweep will use, so warnings can be specific; all sizes when absent. */
  plannedSizes?: readonly number[];
  /** Receives every invocation's log (INIT_START/START..REPORT). */
  onLog?: (log: string) => void;
}

function hostArchitecture(): Architecture {
  return process.arch === "arm64" ? "arm64" : "x86_64";
}

function formatMb(mb: number): string {
  return mb.toLocaleString("en-US");
}

/** Warnings about what this host cannot reproduce for the planned sizes. */
export function isolationWarnings(
  isolation: LimitBackend,
  hostCores: number,
  plannedSizes: readonly number[] | undefined,
): string[] {
  const warnings: string[] = [];
  if (isolation.kind === "none") {
    const why =
      isolation.fallbackReason ??
      "no CPU or memory limits: durations do not reflect the memory size";
    warnings.push(`Isolation none: ${why}.`);
  } else if (isolation.fallbackReason !== undefined) {
    // The reason names what was tried and ends with what is used instead.
    warnings.push(`Isolation ${isolation.kind}: ${isolation.fallbackReason}.`);
  }
  for (const note of isolation.notes ?? []) warnings.push(`Isolation ${isolation.kind}: ${note}.`);
  const cappedAbove = Math.floor(hostCores * MB_PER_VCPU);
  const largest = plannedSizes === undefined ? MAX_MEMORY_MB : Math.max(...plannedSizes);
  if (largest > cappedAbove) {
    const cores = hostCores === 1 ? "1 core" : `${hostCores} cores`;
    warnings.push(
      `Lambda gives one vCPU per ${formatMb(MB_PER_VCPU)} MB (up to 6 at ${formatMb(MAX_MEMORY_MB)} MB); ` +
        `this host has ${cores}, so sizes above ${formatMb(cappedAbove)} MB are capped at ` +
        `${hostCores} vCPU and will run slower here than on Lambda.`,
    );
  }
  return warnings;
}

/**
 * The `local` target: runs a handler file in the built-in emulator, one
 * sandbox pool per memory size, with CPU and memory limited as Lambda does.
 */
export function createLocalTarget(options: LocalTargetOptions): Target {
  const cwd = options.cwd ?? process.cwd();
  const timeoutSeconds = options.timeoutSeconds ?? 3;
  const region = options.region ?? "us-east-1";
  const env = options.env ?? {};
  const pools = new Set<SandboxPool>();
  let validated: Promise<LocalHandler> | undefined;
  let restored = false;

  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 900) {
    throw new UsageError(`the timeout must be whole seconds from 1 to 900, got ${timeoutSeconds}`, {
      hint: "Pass a timeout such as 3 (Lambda's default) or 30.",
    });
  }
  const located = locateLocalHandler(options.handler, cwd);
  const functionName =
    options.functionName ??
    (located === undefined ? "local-function" : defaultFunctionName(located));

  async function validate(): Promise<LocalHandler> {
    if (located === undefined) {
      throw new UsageError(`no handler file for ${options.handler} (looked for .js, .mjs, .cjs)`, {
        hint: "Name the handler Lambda-style as path/to/file.export, relative to the current directory, e.g. src/index.handler.",
      });
    }
    const probe = await probeHandler(located.taskRoot, located.handler, {
      PATH: process.env.PATH ?? "",
      ...env,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_LAMBDA_FUNCTION_NAME: functionName,
      LAMBDA_TASK_ROOT: located.taskRoot,
      _HANDLER: located.handler,
    });
    if (probe.ok === false && USAGE_INIT_ERRORS.has(probe.errorType)) {
      throw new UsageError(
        `handler ${options.handler} cannot run: ${probe.errorType}: ${probe.errorMessage}`,
        {
          hint:
            probe.errorType === "Runtime.HandlerNotFound"
              ? `Export a function named ${located.exportPath.join(".")} from ${located.file}, or name the export that is the handler.`
              : `Fix ${located.file} (and install its dependencies) so that it loads, then run again.`,
        },
      );
    }
    // A module that throws while loading is not rejected: each size reports it as an init error.
    return located;
  }

  function validateOnce(): Promise<LocalHandler> {
    validated ??= validate();
    return validated;
  }

  return {
    kind: "local",

    async describe(): Promise<FunctionInfo> {
      await validateOnce();
      const warnings = isolationWarnings(
        options.isolation,
        options.hostCores,
        options.plannedSizes,
      );
      const info: FunctionInfo = {
        name: options.handler,
        architecture: options.architecture ?? hostArchitecture(),
        region,
        currentTimeoutSeconds: timeoutSeconds,
        isolation: options.isolation.kind,
        warnings,
      };
      return info;
    },

    availableSizes: () => undefined,
    capacity: () => undefined,

    async prepare(memoryMb: number): Promise<PreparedSize> {
      if (!Number.isInteger(memoryMb) || memoryMb < MIN_MEMORY_MB || memoryMb > MAX_MEMORY_MB) {
        throw new UsageError(`memory size ${memoryMb} MB is outside Lambda's range`, {
          hint: `Use whole megabytes from ${MIN_MEMORY_MB} to ${formatMb(MAX_MEMORY_MB)}.`,
        });
      }
      if (restored) throw new Error("the local target was already restored");
      const handler = await validateOnce();
      const pool = createFunctionPool({
        taskRoot: handler.taskRoot,
        handler: handler.handler,
        functionName,
        functionVersion: "$LATEST",
        memoryMb,
        timeoutSeconds,
        concurrency: options.concurrency ?? 1,
        cold: options.cold ?? false,
        billInit: options.billInit ?? true,
        region,
        env,
        isolation: options.isolation,
        hostCores: options.hostCores,
        ...(options.onLog === undefined ? {} : { onLog: options.onLog }),
      });
      pools.add(pool);
      return {
        memoryMb,
        invoke: (payload: string) => pool.invoke(payload),
        release: async () => {
          pools.delete(pool);
          await pool.release();
        },
      };
    },

    async restore(): Promise<void> {
      restored = true;
      const all = [...pools];
      pools.clear();
      await Promise.all(all.map((pool) => pool.release()));
      await options.isolation.dispose();
    },
  };
}
