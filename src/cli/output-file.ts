import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { UsageError } from "../errors.js";

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
