import type { Architecture } from "../../document/result.js";
import { createFunctionPool } from "../../emulator/function-pool.js";
import type { LimitBackend } from "../../emulator/limits/types.js";
import {
  findHandler,
  type LocatedHandler,
  type PreparedHandler,
  prepareHandler,
  pythonFamily,
  runtimeInfo,
} from "../../emulator/runtimes/index.js";
import { probeHandler } from "../../emulator/runtimes/probe.js";
import { runAsFor } from "../../emulator/runtimes/run-as.js";
import type { SandboxPool } from "../../emulator/sandbox-pool.js";
import { UsageError } from "../../errors.js";
import { formatMb } from "../../format.js";
import {
  isLambdaMemorySize,
  MAX_MEMORY_MB,
  MAX_TIMEOUT_SECONDS,
  MAX_VCPUS,
  MB_PER_VCPU,
  MIN_MEMORY_MB,
  MIN_TIMEOUT_SECONDS,
} from "../../lambda.js";
import type { FunctionInfo, PreparedSize, Target } from "../target.js";
import { defaultFunctionName } from "./handler-spec.js";

export interface LocalTargetOptions {
  /** Lambda-style (`path/to/file.export`, `path/to/bootstrap`), relative to `cwd` or absolute. */
  handler: string;
  cwd?: string;
  /** `--runtime`: one of Lambda's runtime identifiers; by default the handler's file says which. */
  runtime?: string;
  /** `--python`: the Python interpreter for a Python handler. */
  python?: string;
  /** The caller's environment, where interpreters are looked up (PATH); process.env when absent. */
  callerEnv?: Readonly<Record<string, string | undefined>>;
  functionName?: string;
  /** The function timeout, whole seconds from 1 to 900 (default 3). */
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
  /** Things the user should know about the run, shown with describe()'s own (credentials passed). */
  warnings?: readonly string[];
}

function hostArchitecture(): Architecture {
  return process.arch === "arm64" ? "arm64" : "x86_64";
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
      `Lambda gives one vCPU per ${formatMb(MB_PER_VCPU)} MB (up to ${MAX_VCPUS} at ${formatMb(MAX_MEMORY_MB)} MB); ` +
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
  let validated: Promise<LocatedHandler> | undefined;
  let restored = false;

  if (
    !Number.isInteger(timeoutSeconds) ||
    timeoutSeconds < MIN_TIMEOUT_SECONDS ||
    timeoutSeconds > MAX_TIMEOUT_SECONDS
  ) {
    throw new UsageError(
      `the timeout must be whole seconds from ${MIN_TIMEOUT_SECONDS} to ${MAX_TIMEOUT_SECONDS}, got ${timeoutSeconds}`,
      { hint: "Pass a timeout such as 3 (Lambda's default) or 30." },
    );
  }
  const site = findHandler(options.handler, cwd, options.runtime);
  const functionName =
    options.functionName ?? (site === undefined ? "local-function" : defaultFunctionName(site));
  let prepared: PreparedHandler | undefined;

  async function validate(): Promise<LocatedHandler> {
    if (options.python !== undefined && site !== undefined && site.family !== pythonFamily) {
      throw new UsageError(
        `--python applies to Python handlers, and ${options.handler} is a ${site.family.label} handler`,
        { hint: "Leave out --python, or name a Python handler (path/to/module.function)." },
      );
    }
    prepared = await prepareHandler(options.handler, cwd, {
      env: options.callerEnv ?? process.env,
      cwd,
      ...(options.runtime !== undefined && { runtime: options.runtime }),
      ...(options.python !== undefined && { python: options.python }),
    });
    const located = prepared.located;
    const probe = await probeHandler(located, {
      PATH: process.env.PATH ?? "",
      ...env,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_LAMBDA_FUNCTION_NAME: functionName,
      LAMBDA_TASK_ROOT: located.taskRoot,
      _HANDLER: located.handler,
    });
    if (probe.ok === false && located.runtime.unfixableInitErrors.has(probe.errorType)) {
      throw new UsageError(
        `handler ${options.handler} cannot run: ${probe.errorType}: ${probe.errorMessage}`,
        { hint: located.runtime.initErrorHint(probe.errorType, located) },
      );
    }
    // A module that throws while loading is not rejected: each size reports it as an init error.
    return located;
  }

  function validateOnce(): Promise<LocatedHandler> {
    validated ??= validate();
    return validated;
  }

  return {
    kind: "local",

    async describe(): Promise<FunctionInfo> {
      const handler = await validateOnce();
      const { runtime } = handler;
      const warnings = [
        ...isolationWarnings(options.isolation, options.hostCores, options.plannedSizes),
        ...(prepared?.warnings ?? []),
        ...(options.warnings ?? []),
      ];
      const runAs = runAsFor(handler.runtime, handler.taskRoot);
      if (runAs.warning !== undefined) warnings.push(runAs.warning);
      if (options.billInit === false && runtime.alwaysBillsInit) {
        warnings.push(
          `--no-bill-init does not apply to ${runtime.name}: custom runtimes' INIT has always been billed, so it is billed here too.`,
        );
      }
      const info: FunctionInfo = {
        name: options.handler,
        architecture: options.architecture ?? hostArchitecture(),
        region,
        currentTimeoutSeconds: timeoutSeconds,
        isolation: options.isolation.kind,
        ...(prepared !== undefined && { runtime: runtimeInfo(prepared) }),
        warnings,
        notes: [...(prepared?.notes ?? [])],
      };
      return info;
    },

    availableSizes: () => undefined,
    capacity: () => undefined,

    async prepare(memoryMb: number): Promise<PreparedSize> {
      if (!isLambdaMemorySize(memoryMb)) {
        throw new UsageError(`memory size ${memoryMb} MB is outside Lambda's range`, {
          hint: `Use whole megabytes from ${MIN_MEMORY_MB} to ${formatMb(MAX_MEMORY_MB)}.`,
        });
      }
      if (restored) throw new Error("the local target was already restored");
      const handler = await validateOnce();
      const pool = createFunctionPool({
        handler,
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
      await prepared?.dispose();
    },
  };
}
