import { randomBytes } from "node:crypto";
import { access, constants, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { UsageError } from "../errors.js";

/**
 * Checks, before any work, that `path` can be written as writeFileAtomically
 * writes it: not a directory, in a directory that exists and that this user
 * may write to. A run refused here has spent nothing.
 */
export async function checkWritable(cwd: string, path: string, flag = "--out"): Promise<void> {
  const target = resolve(cwd, path);
  const refuse = (problem: string, hint: string, cause?: unknown): never => {
    throw new UsageError(`cannot write ${flag} ${path}: ${problem}`, { hint, cause });
  };
  const existing = await stat(target).catch(() => undefined);
  if (existing?.isDirectory()) {
    refuse("it is a directory", `name a file in it, e.g. ${flag} ${join(path, "result.json")}`);
  }
  const directory = dirname(target);
  const parent = await stat(directory).catch(() => undefined);
  if (parent === undefined) {
    refuse(`the directory ${directory} does not exist`, `create it first (mkdir -p ${directory})`);
  } else if (!parent.isDirectory()) {
    refuse(`${directory} is not a directory`, `give ${flag} a path in a directory`);
  }
  try {
    await access(directory, constants.W_OK | constants.X_OK);
  } catch (error) {
    refuse(
      `${directory} is not writable`,
      `give ${flag} a path in a directory you can write to`,
      error,
    );
  }
}

/** Writes a file so that readers see the old content or the new, never half of it. */
export async function writeFileAtomically(
  cwd: string,
  path: string,
  content: string,
): Promise<void> {
  const target = resolve(cwd, path);
  const temporary = join(
    dirname(target),
    `.${basename(target)}.${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    await writeFile(temporary, content, { flag: "wx" });
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new UsageError(`cannot write ${path}: ${(error as Error).message}`, {
      hint: "give --out a path in a directory you can write to",
      cause: error,
    });
  }
}
