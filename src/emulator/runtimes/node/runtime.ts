import { existsSync } from "node:fs";
import { basename, dirname, isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Launch, LocatedHandler, Runtime } from "../runtime.js";
import { resolveHandlerFile, splitHandler } from "./load-handler.js";

/**
 * The runtime client's entry point: the compiled .js beside this module when
 * running from dist/, else the .ts source under tsx (tests, benchmarks).
 */
function entry(name: "bootstrap" | "probe", nodeFlags: readonly string[]): Launch {
  const compiled = new URL(`./${name}.js`, import.meta.url);
  if (existsSync(compiled)) {
    return { command: process.execPath, args: [...nodeFlags, fileURLToPath(compiled)] };
  }
  const source = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  const tsx = import.meta.resolve("tsx");
  return { command: process.execPath, args: ["--import", tsx, ...nodeFlags, source] };
}

/**
 * V8 heap bounds Lambda's Node.js runtime derives from the memory size
 * (its /var/runtime/bootstrap: new space = memory / 10, semi space = half of
 * it, old space = memory - new space).
 */
export function nodeHeapFlags(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [
    `--max-semi-space-size=${Math.floor(newSpace / 2)}`,
    `--max-old-space-size=${memoryMb - newSpace}`,
  ];
}

/** Node.js handlers (`path/to/file.export`, CommonJS or ESM), run by this Node.js. */
export const nodeRuntime: Runtime = {
  name: "nodejs20.x",
  handlerForm: "path/to/file.export (.js, .mjs or .cjs)",
  executionEnv: "AWS_Lambda_nodejs20.x",
  runtimeVersion: "nodejs:20.v0",

  locate(spec: string, cwd: string): LocatedHandler | undefined {
    let parts: { modulePath: string; exportPath: string[] };
    try {
      parts = splitHandler(spec);
    } catch {
      return undefined;
    }
    // A relative spec is taken from cwd (the task root); an absolute one from its own directory.
    const taskRoot = isAbsolute(parts.modulePath) ? dirname(parts.modulePath) : resolve(cwd);
    const modulePath = isAbsolute(parts.modulePath)
      ? basename(parts.modulePath)
      : relative(taskRoot, resolve(taskRoot, parts.modulePath));
    const file = resolveHandlerFile(taskRoot, modulePath);
    if (file === undefined) return undefined;
    return {
      runtime: nodeRuntime,
      taskRoot,
      handler: `${modulePath}.${parts.exportPath.join(".")}`,
      file,
    };
  },

  launch: (memoryMb) => entry("bootstrap", nodeHeapFlags(memoryMb)),
  probe: (handler) => {
    const launch = entry("probe", []);
    return { command: launch.command, args: [...launch.args, handler.taskRoot, handler.handler] };
  },

  reportsOutOfMemory: (output) => /JavaScript heap out of memory|Reached heap limit/.test(output),

  initErrorHint(errorType, handler) {
    if (errorType !== "Runtime.HandlerNotFound") {
      return `Fix ${handler.file} (and install its dependencies) so that it loads, then run again.`;
    }
    const { exportPath } = splitHandler(handler.handler);
    return `Export a function named ${exportPath.join(".")} from ${handler.file}, or name the export that is the handler.`;
  },
};
