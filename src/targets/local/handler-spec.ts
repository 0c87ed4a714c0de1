import { basename, dirname, isAbsolute, relative, resolve } from "node:path";
import { resolveHandlerFile, splitHandler } from "../../emulator/runtimes/node/load-handler.js";

/** A Lambda-style handler (`path/to/file.export`) located on disk. */
export interface LocalHandler {
  /** LAMBDA_TASK_ROOT: the directory the handler path is relative to. */
  taskRoot: string;
  /** The handler as Lambda's `_HANDLER` holds it, relative to taskRoot. */
  handler: string;
  /** The module file it names (.js, .mjs or .cjs). */
  file: string;
  exportPath: string[];
}

/**
 * Finds the file a handler spec names. A relative spec is taken from `cwd`
 * (the task root); an absolute one from its own directory. Undefined when the
 * spec is not `file.export` or no such file exists.
 */
export function locateLocalHandler(spec: string, cwd: string): LocalHandler | undefined {
  let parts: { modulePath: string; exportPath: string[] };
  try {
    parts = splitHandler(spec);
  } catch {
    return undefined;
  }
  const taskRoot = isAbsolute(parts.modulePath) ? dirname(parts.modulePath) : resolve(cwd);
  const modulePath = isAbsolute(parts.modulePath)
    ? basename(parts.modulePath)
    : relative(taskRoot, resolve(taskRoot, parts.modulePath));
  const file = resolveHandlerFile(taskRoot, modulePath);
  if (file === undefined) return undefined;
  return {
    taskRoot,
    handler: `${modulePath}.${parts.exportPath.join(".")}`,
    file,
    exportPath: parts.exportPath,
  };
}

/** Whether `<function>` on the command line names a local handler file rather than a deployed function. */
export function isLocalHandlerSpec(text: string, cwd: string): boolean {
  return locateLocalHandler(text, cwd) !== undefined;
}

/** A function name for a local handler: its directory's name (`cpu-bound/index.handler` -> `cpu-bound`). */
export function defaultFunctionName(handler: LocalHandler): string {
  const dir = basename(dirname(handler.file));
  const name = dir === "" || dir === "." ? basename(handler.file).replace(/\.[cm]?js$/, "") : dir;
  // Lambda function names: letters, digits, hyphens and underscores, at most 64 characters.
  return name.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 64) || "local-function";
}
