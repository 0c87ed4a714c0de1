import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** An init failure with the error type Lambda's Node.js runtime reports for it. */
export class RuntimeInitError extends Error {
  constructor(name: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
  }
}

export type LambdaHandler = (event: unknown, context: unknown, callback: unknown) => unknown;

// Lambda's Node.js runtime tries these extensions, in this order, for `file.export`.
const EXTENSIONS = [".js", ".mjs", ".cjs"] as const;

/** Splits `path/to/file.export` (the export may be nested: `file.a.b`). */
export function splitHandler(handler: string): { modulePath: string; exportPath: string[] } {
  const slash = handler.lastIndexOf("/");
  const base = handler.slice(slash + 1);
  const dot = base.indexOf(".");
  if (dot <= 0 || dot === base.length - 1) {
    throw new RuntimeInitError("Runtime.MalformedHandlerName", `Bad handler ${handler}`);
  }
  return {
    modulePath: handler.slice(0, slash + 1) + base.slice(0, dot),
    exportPath: base.slice(dot + 1).split("."),
  };
}

/** The handler's module file under the task root, or undefined when no candidate exists. */
export function resolveHandlerFile(
  taskRoot: string,
  modulePath: string,
  extensions: readonly string[] = EXTENSIONS,
): string | undefined {
  const base = resolve(taskRoot, modulePath);
  for (const ext of extensions) if (existsSync(base + ext)) return base + ext;
  return undefined;
}

function isSyntaxError(error: unknown): boolean {
  return error instanceof SyntaxError || (error as { name?: unknown })?.name === "SyntaxError";
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
}

async function importModule(file: string): Promise<Record<string, unknown>> {
  // A .cjs file is required, as the runtime does; anything else goes through import().
  if (file.endsWith(".cjs")) return createRequire(file)(file) as Record<string, unknown>;
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

function lookUp(module: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = module;
  for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
  if (value !== undefined || path.length === 0) return value;
  // CommonJS through import(): the exports object is `default`.
  let fallback: unknown = module.default;
  for (const key of path) fallback = (fallback as Record<string, unknown> | undefined)?.[key];
  return fallback;
}

/**
 * Loads the handler the way Lambda's Node.js runtime does, mapping failures to
 * its init error types (Runtime.ImportModuleError, Runtime.UserCodeSyntaxError,
 * Runtime.HandlerNotFound). An error the module itself throws keeps its name.
 */
export async function loadHandler(taskRoot: string, handler: string): Promise<LambdaHandler> {
  const { modulePath, exportPath } = splitHandler(handler);
  const file = resolveHandlerFile(taskRoot, modulePath);
  if (file === undefined) {
    throw new RuntimeInitError(
      "Runtime.ImportModuleError",
      `Error: Cannot find module '${modulePath}'`,
    );
  }
  let module: Record<string, unknown>;
  try {
    module = await importModule(file);
  } catch (error) {
    if (isSyntaxError(error)) {
      throw new RuntimeInitError("Runtime.UserCodeSyntaxError", String(error), { cause: error });
    }
    if (isModuleNotFound(error)) {
      throw new RuntimeInitError("Runtime.ImportModuleError", String(error), { cause: error });
    }
    throw error;
  }
  const fn = lookUp(module, exportPath);
  if (fn === undefined) {
    throw new RuntimeInitError(
      "Runtime.HandlerNotFound",
      `${handler} is undefined or not exported`,
    );
  }
  if (typeof fn !== "function") {
    throw new RuntimeInitError("Runtime.HandlerNotFound", `${handler} is not a function`);
  }
  return fn as LambdaHandler;
}

export interface ErrorBody {
  errorType: string;
  errorMessage: string;
  stackTrace: string[];
}

/** The `{errorType, errorMessage, stackTrace}` body Lambda's runtimes post. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof Error) {
    const stack = (error.stack ?? "").split("\n").slice(1);
    return {
      errorType: error.name,
      errorMessage: error.message,
      stackTrace: stack.map((line) => line.trim()),
    };
  }
  return { errorType: typeof error, errorMessage: String(error), stackTrace: [] };
}
