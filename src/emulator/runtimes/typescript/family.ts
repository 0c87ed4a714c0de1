import { isAbsolute, relative } from "node:path";
import { formatDuration } from "../../../format.js";
import type { RuntimeFamily } from "../family.js";
import { findModuleHandler, nodeVersionWarnings } from "../node/family.js";
import { splitHandler } from "../node/load-handler.js";
import { createNodeRuntime, NODE_RUNTIME_NAMES } from "../node/runtime.js";
import { compileTypeScript } from "./compile.js";

/** A path relative to `cwd` when it is inside it, else as it is. */
function shownPath(file: string, cwd: string): string {
  const inside = relative(cwd, file);
  return inside.startsWith("..") || isAbsolute(inside) ? file : inside;
}

/**
 * TypeScript handlers (`path/to/file.export` for .ts, .mts, .cts): compiled
 * once with esbuild into a temporary directory, then run by the Node.js
 * runtime with source maps, so stack traces name the .ts lines. Compiling is
 * not part of any invocation: it happens before the first sandbox starts.
 */
export const typescriptFamily: RuntimeFamily = {
  label: "TypeScript",
  names: NODE_RUNTIME_NAMES,
  handlerForm: "path/to/file.export (.ts, .mts or .cts, compiled with esbuild)",
  find: (spec, cwd) => findModuleHandler(typescriptFamily, spec, cwd, [".ts", ".mts", ".cts"]),
  async prepare(site, request) {
    const runtime = createNodeRuntime({ sourceMaps: true });
    const compiled = await compileTypeScript({
      file: site.file,
      cwd: request.cwd,
      nodeMajor: process.versions.node.split(".")[0] ?? "20",
    });
    const { exportPath } = splitHandler(site.handler);
    return {
      located: {
        runtime,
        taskRoot: compiled.outDir,
        handler: `${compiled.modulePath}.${exportPath.join(".")}`,
        file: site.file,
      },
      compiler: compiled.compiler,
      warnings: nodeVersionWarnings(runtime.name, request.runtime),
      notes: [
        `compiled ${shownPath(site.file, request.cwd)} with ${compiled.compiler} in ${formatDuration(compiled.elapsedMs)} (not part of any Init or Duration)`,
      ],
      dispose: async () => compiled.remove(),
    };
  },
};
