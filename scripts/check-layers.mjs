#!/usr/bin/env node
// Checks the layering of src/ (docs/architecture.md, "Layers"): a module may
// import only modules of its own layer or of a layer below it; there is no
// import cycle between modules; and the pure core imports no I/O. Part of
// `npm test`. A script of our own rather than dependency-cruiser: the rules
// are a dozen lines, and it keeps a tree of ~40 packages out of the install.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** Layers from the bottom; a file's layer is its first folder under src/ (or its name at the top). */
export const LAYERS = [
  ["errors.ts", "lambda.ts", "format.ts", "flags.ts"],
  ["aws"],
  ["logs"],
  ["document"],
  ["model"],
  ["report"],
  ["emulator"],
  ["targets"],
  ["tune"],
  ["analyze"],
  ["cli"],
];

/** Folders (or files) that must not touch the outside world: data in, data out. */
const PURE = [
  "errors.ts",
  "lambda.ts",
  "format.ts",
  "flags.ts",
  "document",
  "model",
  "report",
  "logs",
];
/** Exceptions inside PURE folders: where the logs are read from. */
const IMPURE_INSIDE_PURE = ["logs/sources/"];
const IO_MODULES =
  /^(node:)?(fs|fs\/promises|child_process|net|http|https|http2|dgram|worker_threads|cluster)$|^@aws-sdk\//;

const IMPORT =
  /(?:^|[\s;])(?:import|export)(?:\s+type)?[\s\S]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|^import\s+["']([^"']+)["']/gm;

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|cts)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

function layerOf(srcRelative) {
  const top = srcRelative.split("/")[0];
  const index = LAYERS.findIndex((names) => names.includes(top));
  return { name: top, index };
}

function importsOf(text) {
  const found = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (specifier !== undefined) found.push(specifier);
  }
  return found;
}

/** Strongly connected components with more than one file (or a file importing itself). */
function cycles(graph) {
  let index = 0;
  const stack = [];
  const info = new Map();
  const found = [];
  const visit = (node) => {
    info.set(node, { index, low: index, onStack: true });
    index++;
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!info.has(next)) {
        visit(next);
        info.get(node).low = Math.min(info.get(node).low, info.get(next).low);
      } else if (info.get(next).onStack) {
        info.get(node).low = Math.min(info.get(node).low, info.get(next).index);
      }
    }
    if (info.get(node).low === info.get(node).index) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        info.get(member).onStack = false;
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.has(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!info.has(node)) visit(node);
  return found;
}

export function checkLayers(root) {
  const src = resolve(root, "src");
  const problems = [];
  const graph = new Map();
  let upward = 0;
  let impure = 0;
  for (const file of sourceFiles(src)) {
    const from = relative(src, file);
    const fromLayer = layerOf(from);
    if (fromLayer.index < 0) {
      problems.push(`src/${from}: ${fromLayer.name} is in no layer; add it to LAYERS`);
      continue;
    }
    const edges = new Set();
    graph.set(from, edges);
    const pure =
      PURE.includes(fromLayer.name) && !IMPURE_INSIDE_PURE.some((p) => from.startsWith(p));
    for (const specifier of importsOf(readFileSync(file, "utf8"))) {
      if (!specifier.startsWith(".")) {
        if (pure && IO_MODULES.test(specifier)) {
          impure++;
          problems.push(`src/${from} imports ${specifier}: ${fromLayer.name} does no I/O`);
        }
        continue;
      }
      const to = relative(src, resolve(dirname(file), specifier)).replace(/\.js$/, ".ts");
      edges.add(to);
      const toLayer = layerOf(to);
      if (toLayer.index > fromLayer.index) {
        upward++;
        problems.push(
          `src/${from} imports src/${to}: ${fromLayer.name} is below ${toLayer.name} and may not import it`,
        );
      }
    }
  }
  const loops = cycles(graph);
  for (const loop of loops)
    problems.push(`import cycle: ${loop.map((f) => `src/${f}`).join(" -> ")}`);
  // Folders that import each other, directly or round a loop (impossible without an upward import).
  const folders = new Map();
  for (const [from, edges] of graph) {
    const a = layerOf(from).name;
    if (!folders.has(a)) folders.set(a, new Set());
    for (const to of edges) if (layerOf(to).name !== a) folders.get(a).add(layerOf(to).name);
  }
  const folderLoops = cycles(folders);
  for (const loop of folderLoops) problems.push(`folders import each other: ${loop.join(", ")}`);
  return {
    problems,
    upward,
    impure,
    cycles: loops.length,
    folderCycles: folderLoops.length,
    files: graph.size,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = checkLayers(process.argv[2] ?? process.cwd());
  for (const problem of result.problems) console.error(problem);
  console.log(
    `layers: ${result.files} files, ${result.upward} upward imports, ${result.cycles} import cycles between files, ${result.folderCycles} between folders, ${result.impure} I/O imports in the pure core`,
  );
  process.exitCode = result.problems.length === 0 ? 0 : 1;
}
