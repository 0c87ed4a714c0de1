/** Builds a backend for the tests from this process's real /proc files. */
import { availableParallelism } from "node:os";
import { readOwnCgroupFiles, selectLimitBackend } from "../../../src/emulator/limits/detect.js";
import type { IsolationKind, LimitBackend } from "../../../src/emulator/limits/types.js";

export function selectForThisProcess(prefer: IsolationKind | "auto"): Promise<LimitBackend> {
  return selectLimitBackend({
    prefer,
    hostCores: availableParallelism(),
    pid: process.pid,
    platform: process.platform,
    ...readOwnCgroupFiles(),
  });
}

/** The backend, or why it cannot be had here (for t.skip). */
export async function backendOrReason(kind: IsolationKind): Promise<LimitBackend | string> {
  try {
    return await selectForThisProcess(kind);
  } catch (error) {
    return `${kind} unavailable here: ${(error as Error).message}`;
  }
}
