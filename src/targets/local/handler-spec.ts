import { basename, dirname } from "node:path";
import { findHandler } from "../../emulator/runtimes/index.js";

/**
 * Whether `<function>` on the command line names a local handler file (of
 * `runtime`'s family, when given) rather than a deployed function.
 */
export function isLocalHandlerSpec(text: string, cwd: string, runtime?: string): boolean {
  return findHandler(text, cwd, runtime) !== undefined;
}

/** A function name for a local handler: its directory's name (`cpu-bound/index.handler` -> `cpu-bound`). */
export function defaultFunctionName(handler: { file: string }): string {
  const dir = basename(dirname(handler.file));
  const name = dir === "" || dir === "." ? basename(handler.file).replace(/\.[^.]*$/, "") : dir;
  // Lambda function names: letters, digits, hyphens and underscores, at most 64 characters.
  return name.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 64) || "local-function";
}
