// The built modules (dist/), as a user runs them. A benchmark that starts
// sandboxes must load the local target from here: under tsx the Node.js
// runtime client would load through tsx's hooks too, which add ~400 ms to
// every Node.js Init and CPU time of their own (the emulator's 128/1,769 MB
// scaling read 15.3x from src, 14.7x from dist).
import { existsSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { IsolationKind, LimitBackend } from "../src/emulator/limits/types.js";

const DIST = fileURLToPath(new URL("../dist/", import.meta.url));

export async function built<T>(path: string): Promise<T> {
  const file = join(DIST, path);
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
  return (await import(pathToFileURL(file).href)) as T;
}

const { readOwnCgroupFiles, selectLimitBackend } = await built<
  typeof import("../src/emulator/limits/detect.js")
>("emulator/limits/detect.js");

export const { createLocalTarget } =
  await built<typeof import("../src/targets/local/index.js")>("targets/local/index.js");

export const HOST_CORES = cpus().length;

/** The limit backend `prefer` names on this host, as `run --isolation` picks it. */
export function limitBackend(prefer: IsolationKind | "auto"): Promise<LimitBackend> {
  return selectLimitBackend({
    prefer,
    hostCores: HOST_CORES,
    ...readOwnCgroupFiles(),
    pid: process.pid,
    platform: process.platform,
  });
}

/** That backend, or undefined where this host does not have it. */
export async function availableBackend(
  prefer: IsolationKind | "auto",
): Promise<LimitBackend | undefined> {
  try {
    return await limitBackend(prefer);
  } catch {
    return undefined;
  }
}
