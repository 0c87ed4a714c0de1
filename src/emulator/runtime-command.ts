import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export type NodeRuntimeEntry = "bootstrap" | "probe";

/**
 * How to start the Node.js runtime client: the compiled .js beside this module
 * when running from dist/, else the .ts source under tsx (tests, benchmarks).
 */
export function nodeRuntimeCommand(
  entry: NodeRuntimeEntry,
  nodeFlags: readonly string[] = [],
): { command: string; args: string[] } {
  const compiled = new URL(`./runtimes/node/${entry}.js`, import.meta.url);
  if (existsSync(compiled)) {
    return { command: process.execPath, args: [...nodeFlags, fileURLToPath(compiled)] };
  }
  const source = fileURLToPath(new URL(`./runtimes/node/${entry}.ts`, import.meta.url));
  const tsx = import.meta.resolve("tsx");
  return { command: process.execPath, args: ["--import", tsx, ...nodeFlags, source] };
}
