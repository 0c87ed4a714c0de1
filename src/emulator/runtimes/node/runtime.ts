import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { HANDLER_INIT_ERRORS } from "../../../lambda.js";
import type { Launch, Runtime } from "../runtime.js";
import { splitHandler } from "./load-handler.js";

/** Lambda's Node.js runtimes lambda-tune knows (docs/lambda-facts.md, "Runtimes"). */
export const NODE_RUNTIME_NAMES: readonly string[] = ["nodejs20.x", "nodejs22.x"];

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

export interface NodeRuntimeOptions {
  /** Stack traces through source maps (`--enable-source-maps`): for compiled TypeScript. */
  sourceMaps?: boolean;
}

/**
 * Node.js handlers run by the Node.js running lambda-tune: its major version
 * names the runtime (`nodejs20.x`) and `AWS_EXECUTION_ENV`.
 */
export function createNodeRuntime(options: NodeRuntimeOptions = {}): Runtime {
  const major = process.versions.node.split(".")[0] ?? "20";
  const name = `nodejs${major}.x`;
  const extraFlags = options.sourceMaps === true ? ["--enable-source-maps"] : [];
  return {
    name,
    executionEnv: `AWS_Lambda_${name}`,
    runtimeVersion: `nodejs:${major}.v0`,
    interpreter: { path: process.execPath, version: process.versions.node },
    alwaysBillsInit: false,
    unfixableInitErrors: HANDLER_INIT_ERRORS,

    launch: (memoryMb) => entry("bootstrap", [...extraFlags, ...nodeHeapFlags(memoryMb)]),
    probe: (handler) => {
      const launch = entry("probe", extraFlags);
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
}

/** The Node.js runtime as it runs JavaScript handlers. */
export const nodeRuntime: Runtime = createNodeRuntime();
