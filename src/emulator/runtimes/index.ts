import type { RuntimeInfo } from "../../document/result.js";
import { UsageError } from "../../errors.js";
import type { HandlerSite, PreparedHandler, RuntimeFamily, RuntimeRequest } from "./family.js";
import { nodeFamily } from "./node/family.js";
import { providedFamily } from "./provided/family.js";
import { pythonFamily } from "./python/family.js";
import { typescriptFamily } from "./typescript/family.js";

export type { HandlerSite, PreparedHandler, RuntimeFamily, RuntimeRequest } from "./family.js";
export { pythonFamily } from "./python/family.js";
export type { Launch, LocalInterpreter, LocatedHandler, Runtime } from "./runtime.js";

/**
 * Every runtime family the emulator runs, in the order a handler spec is
 * offered to them: compiled JavaScript before its TypeScript source, as
 * Lambda would run the .js; a directory's `bootstrap` last.
 */
export const runtimeFamilies: readonly RuntimeFamily[] = [
  nodeFamily,
  typescriptFamily,
  pythonFamily,
  providedFamily,
];

/** Lambda's runtime identifiers `--runtime` accepts. */
export function runtimeNames(): string[] {
  return [...new Set(runtimeFamilies.flatMap((family) => family.names))];
}

/** Checks `--runtime`: one of Lambda's identifiers, else a UsageError listing them. */
export function checkRuntimeName(flag: string, name: string): string {
  if (runtimeNames().includes(name)) return name;
  throw new UsageError(`unknown ${flag} '${name}'`, {
    hint: `use one of Lambda's runtimes: ${runtimeNames().join(", ")}`,
  });
}

function familiesFor(runtime: string | undefined): readonly RuntimeFamily[] {
  if (runtime === undefined) return runtimeFamilies;
  return runtimeFamilies.filter((family) => family.names.includes(runtime));
}

/** The handler `spec` names for the first family that finds its code (only `runtime`'s, when given). */
export function findHandler(spec: string, cwd: string, runtime?: string): HandlerSite | undefined {
  for (const family of familiesFor(runtime)) {
    const site = family.find(spec, cwd);
    if (site !== undefined) return site;
  }
  return undefined;
}

/** The forms of handler the runtimes take (only `runtime`'s, when given), for messages. */
export function handlerForms(runtime?: string): string {
  return familiesFor(runtime)
    .map((family) => `${family.label}: ${family.handlerForm}`)
    .join("; ");
}

/** Finds and prepares the handler `spec` names; a UsageError naming the forms when there is none. */
export async function prepareHandler(
  spec: string,
  cwd: string,
  request: RuntimeRequest,
): Promise<PreparedHandler> {
  const site = findHandler(spec, cwd, request.runtime);
  if (site === undefined) {
    const which = request.runtime === undefined ? "" : ` for ${request.runtime}`;
    throw new UsageError(`no handler file${which} for ${spec}`, {
      hint: `Name the handler Lambda-style, relative to the current directory (${handlerForms(request.runtime)}), e.g. src/index.handler.`,
    });
  }
  return site.family.prepare(site, request);
}

/** What ran a prepared handler, as the header, the result and the emulator's API say it. */
export function runtimeInfo(prepared: PreparedHandler): RuntimeInfo {
  const { runtime } = prepared.located;
  return {
    name: runtime.name,
    interpreter: runtime.interpreter.path,
    ...(runtime.interpreter.version !== undefined && { version: runtime.interpreter.version }),
    ...(prepared.compiler !== undefined && { compiler: prepared.compiler }),
  };
}
