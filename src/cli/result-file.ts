import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { checkResult } from "../document/check-result.js";
import type { ResultDocument } from "../document/result.js";
import { SCHEMA_VERSION } from "../document/result.js";
import { UsageError } from "../errors.js";

const HINT =
  "give the JSON that `lambda-tune run --json` printed or `--out` wrote (a lambda-tune result document)";

/** Reads a result document written by lambda-tune (any version up to this one's schema). */
export async function readResultFile(cwd: string, path: string): Promise<ResultDocument> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new UsageError(`cannot read ${path} (${code})`, { hint: HINT, cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not a lambda-tune result: it is not JSON`, {
      hint: HINT,
      cause: error,
    });
  }
  const check = checkResult(value);
  if (check.kind === "newer-version") {
    throw new UsageError(
      `${path} is a result of schema version ${check.schemaVersion}, newer than this lambda-tune reads (${SCHEMA_VERSION})`,
      { hint: "upgrade lambda-tune (npm install -g lambda-tune@latest) to read it" },
    );
  }
  if (check.kind === "not-a-result") {
    const shown = check.problems.slice(0, 3).join("; ");
    const more = check.problems.length > 3 ? ` (and ${check.problems.length - 3} more)` : "";
    throw new UsageError(`${path} is not a lambda-tune result: ${shown}${more}`, { hint: HINT });
  }
  return check.doc;
}
