#!/usr/bin/env node
// Runs the built CLI (dist/, made by `npm run build` and shipped in the package).
// In a fresh clone nothing has built it yet, and the package has no install
// script (npm warns about those), so the first run builds it.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const built = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(built)) {
  const root = fileURLToPath(new URL("..", import.meta.url));
  process.stderr.write("lambda-tune: building dist/ once (npm run build)...\n");
  const build = spawnSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0 || !existsSync(built)) {
    process.stderr.write(
      `lambda-tune: the build failed; run \`npm ci && npm run build\` in ${root}\n`,
    );
    process.exit(1);
  }
}
await import(built.href);
