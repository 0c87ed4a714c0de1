#!/usr/bin/env node
// Part of `npm run build`: tsc compiles only .ts, so the runtime clients that
// are not TypeScript (src/emulator/runtimes/python/bootstrap.py) are copied
// beside their compiled modules, where a packed install finds them.
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const SOURCE = "src/emulator/runtimes";
const TARGET = "dist/emulator/runtimes";

function assets(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return assets(path);
    return /\.(ts|mts|cts)$/.test(entry.name) ? [] : [path];
  });
}

for (const file of assets(SOURCE)) {
  const to = join(TARGET, relative(SOURCE, file));
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(file, to);
}
