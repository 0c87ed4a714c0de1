import type { RuntimeInfo } from "../document/result.js";

/** A runtime in a header: `python3.11 (/usr/bin/python3.11 3.11.2)`, `nodejs20.x (node 20.20.2, compiled with esbuild 0.28.2)`. */
export function runtimeText(runtime: RuntimeInfo): string {
  const program =
    runtime.version === undefined
      ? runtime.interpreter
      : `${runtime.interpreter} ${runtime.version}`;
  const compiled = runtime.compiler === undefined ? "" : `, compiled with ${runtime.compiler}`;
  return `${runtime.name} (${program}${compiled})`;
}
