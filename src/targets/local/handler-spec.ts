import { basename, dirname } from "node:path";
import { type LocatedHandler, locateHandler } from "../../emulator/runtimes/index.js";

/** Whether `<function>` on the command line names a local handler file rather than a deployed function. */
export function isLocalHandlerSpec(text: string, cwd: string): boolean {
  return locateHandler(text, cwd) !== undefined;
}

/** A function name for a local handler: its directory's name (`cpu-bound/index.handler` -> `cpu-bound`). */
export function defaultFunctionName(handler: LocatedHandler): string {
  const dir = basename(dirname(handler.file));
  const name = dir === "" || dir === "." ? basename(handler.file).replace(/\.[^.]*$/, "") : dir;
  // Lambda function names: letters, digits, hyphens and underscores, at most 64 characters.
  return name.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 64) || "local-function";
}
