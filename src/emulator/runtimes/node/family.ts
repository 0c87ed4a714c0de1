import { basename, dirname, isAbsolute, relative, resolve } from "node:path";
import type { HandlerSite, RuntimeFamily } from "../family.js";
import { prepared } from "../family.js";
import { versionWarnings } from "../versions.js";
import { resolveHandlerFile, splitHandler } from "./load-handler.js";
import { createNodeRuntime, NODE_RUNTIME_NAMES } from "./runtime.js";

/**
 * Where `path/to/file.export` is, for the file extensions a runtime tries: a
 * relative spec is taken from `cwd` (the task root), an absolute one from its
 * own directory. Shared with the TypeScript family.
 */
export function findModuleHandler(
  family: RuntimeFamily,
  spec: string,
  cwd: string,
  extensions: readonly string[],
): HandlerSite | undefined {
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
  const file = resolveHandlerFile(taskRoot, modulePath, extensions);
  if (file === undefined) return undefined;
  return { family, taskRoot, handler: `${modulePath}.${parts.exportPath.join(".")}`, file };
}

/** Node.js handlers (`path/to/file.export`, CommonJS or ESM), run by the Node.js running lambda-tune. */
export const nodeFamily: RuntimeFamily = {
  label: "Node.js",
  names: NODE_RUNTIME_NAMES,
  handlerForm: "path/to/file.export (.js, .mjs or .cjs)",
  find: (spec, cwd) => findModuleHandler(nodeFamily, spec, cwd, [".js", ".mjs", ".cjs"]),
  async prepare(site, request) {
    const runtime = createNodeRuntime();
    const located = { runtime, taskRoot: site.taskRoot, handler: site.handler, file: site.file };
    return prepared(located, nodeVersionWarnings(runtime.name, request.runtime));
  },
};

/** When the Node.js running lambda-tune is not the version asked for, or not one of Lambda's. */
export function nodeVersionWarnings(ran: string, asked: string | undefined): string[] {
  return versionWarnings({
    asked,
    ran,
    known: NODE_RUNTIME_NAMES,
    local: `Node.js ${process.versions.node} (${process.execPath})`,
    fix: (name) => `run lambda-tune with Node.js ${name.replace(/^nodejs|\.x$/g, "")}`,
  });
}
