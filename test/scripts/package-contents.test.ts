// What `npm pack` ships: a packed install runs every runtime without src/.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { it } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

it("the package holds the Python runtime client and every runtime's compiled modules", () => {
  // npm test builds first; --ignore-scripts keeps `prepare` from building again.
  const pack = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  assert.equal(pack.status, 0, pack.stderr);
  const [listing] = JSON.parse(pack.stdout) as [{ files: { path: string }[] }];
  const files = new Set(listing.files.map((file) => file.path));
  for (const path of [
    "dist/emulator/runtimes/python/bootstrap.py",
    "dist/emulator/runtimes/python/family.js",
    "dist/emulator/runtimes/node/bootstrap.js",
    "dist/emulator/runtimes/typescript/compile.js",
    "dist/emulator/runtimes/provided/family.js",
    "bin/lambda-tune.js",
    "schema/result.schema.json",
  ]) {
    assert.ok(files.has(path), `${path} is not in the package`);
  }
  assert.ok(![...files].some((path) => path.startsWith("src/")), "src/ is not shipped");
});
