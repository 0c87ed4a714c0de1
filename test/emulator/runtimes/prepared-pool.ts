import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { createFunctionPool } from "../../../src/emulator/function-pool.js";
import { NoLimits } from "../../../src/emulator/limits/none.js";
import type { LimitBackend } from "../../../src/emulator/limits/types.js";
import { type PreparedHandler, prepareHandler } from "../../../src/emulator/runtimes/index.js";
import type { SandboxPool } from "../../../src/emulator/sandbox-pool.js";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The Python the runtime tests use: Debian's python3 in CI, another with LAMBDA_TUNE_TEST_PYTHON. */
export const TEST_PYTHON = process.env.LAMBDA_TUNE_TEST_PYTHON ?? "python3";

export interface PreparedPool {
  pool: SandboxPool;
  prepared: PreparedHandler;
  logs: string[];
  release(): Promise<void>;
}

/**
 * Real sandboxes for a handler spec (relative to the repository), prepared as
 * the local target prepares it: any runtime, real limits when a backend is given.
 */
export async function preparedPool(
  spec: string,
  options: {
    memoryMb?: number;
    timeoutSeconds?: number;
    isolation?: LimitBackend;
    env?: Record<string, string>;
    python?: string;
    runtime?: string;
    billInit?: boolean;
  } = {},
): Promise<PreparedPool> {
  const prepared = await prepareHandler(spec, ROOT, {
    env: process.env,
    cwd: ROOT,
    python: options.python ?? TEST_PYTHON,
    ...(options.runtime !== undefined && { runtime: options.runtime }),
  });
  const logs: string[] = [];
  const pool = createFunctionPool({
    handler: prepared.located,
    functionName: "test-function",
    functionVersion: "$LATEST",
    memoryMb: options.memoryMb ?? 256,
    timeoutSeconds: options.timeoutSeconds ?? 10,
    concurrency: 1,
    cold: false,
    billInit: options.billInit ?? true,
    region: "eu-west-1",
    env: options.env ?? {},
    isolation: options.isolation ?? new NoLimits(),
    hostCores: cpus().length,
    onLog: (log) => logs.push(log),
  });
  return {
    pool,
    prepared,
    logs,
    async release() {
      await pool.release();
      await prepared.dispose();
    },
  };
}
