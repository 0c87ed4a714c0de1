import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { UsageError } from "../../errors.js";
import {
  findHandler,
  handlerForms,
  type PreparedHandler,
  prepareHandler,
  type RuntimeRequest,
} from "../runtimes/index.js";
import type { EmulatedFunction } from "./function-store.js";

/** A function the emulator serves, as the caller defines it. */
export interface FunctionDefinition {
  name: string;
  /** Lambda-style `path/to/file.export`, relative to the API's cwd or absolute. */
  handler: string;
  memoryMb?: number;
  timeoutSeconds?: number;
  description?: string;
  environment?: Record<string, string>;
}

// Memory 128..10,240 MB; timeout 1..900 s, default 3 (docs/lambda-facts.md, "Memory and CPU").
const DEFAULT_MEMORY_MB = 128;
const DEFAULT_TIMEOUT_SECONDS = 3;

function checkRange(what: string, value: number, min: number, max: number, hint: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${what} must be a whole number from ${min} to ${max}, got ${value}`, {
      hint,
    });
  }
}

/**
 * Finds a definition's handler and resolves its runtime (the interpreter, a
 * TypeScript compile); bad input is a UsageError naming the function.
 */
export async function prepareFunction(
  definition: FunctionDefinition,
  request: RuntimeRequest,
): Promise<PreparedHandler> {
  const { name } = definition;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
    throw new UsageError(`'${name}' is not a Lambda function name`, {
      hint: "Use 1 to 64 letters, digits, hyphens and underscores, e.g. my-function.",
    });
  }
  if (findHandler(definition.handler, request.cwd, request.runtime) === undefined) {
    throw new UsageError(`no handler file for ${definition.handler} (function ${name})`, {
      hint: `Name the handler Lambda-style, relative to the current directory (${handlerForms(request.runtime)}), e.g. src/index.handler.`,
    });
  }
  return prepareHandler(definition.handler, request.cwd, request);
}

/** Checks a definition and builds the function's first state; bad input is a UsageError. */
export function emulatedFunction(
  definition: FunctionDefinition,
  prepared: PreparedHandler,
  now: number,
): EmulatedFunction {
  const { name } = definition;
  const located = prepared.located;
  const memoryMb = definition.memoryMb ?? DEFAULT_MEMORY_MB;
  const timeoutSeconds = definition.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  checkRange(
    "the memory size (MB)",
    memoryMb,
    128,
    10_240,
    "Use e.g. --memory 128 (Lambda's range is 128..10240).",
  );
  checkRange(
    "the timeout (seconds)",
    timeoutSeconds,
    1,
    900,
    "Use e.g. --timeout 3 (Lambda's range is 1..900).",
  );
  const code = readFileSync(located.file);
  const settings = {
    memoryMb,
    timeoutSeconds,
    description: definition.description ?? "",
    environment: { ...definition.environment },
  };
  return {
    name,
    code: located,
    codeSha256: createHash("sha256").update(code).digest("base64"),
    codeSize: code.length,
    settings,
    runningSettings: settings,
    revisionId: randomUUID(),
    lastModified: now,
    updateCompletesAt: undefined,
    versions: new Map(),
    lastVersionNumber: 0,
    aliases: new Map(),
  };
}
