import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../../scripts/check-layers.mjs", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function check(root: string) {
  const run = spawnSync(process.execPath, [SCRIPT, root], { encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const trees: string[] = [];
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "lambda-tune-layers-"));
  trees.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, "src", path)), { recursive: true });
    writeFileSync(join(root, "src", path), text);
  }
  return root;
}
after(() => {
  for (const root of trees) rmSync(root, { recursive: true, force: true });
});

describe("scripts/check-layers.mjs", () => {
  it("passes on this project's own src/", () => {
    const { status, output } = check(ROOT);
    assert.equal(status, 0, output);
    assert.match(output, /0 upward imports, 0 import cycles between files, 0 between folders/);
  });

  it("fails on an import of a higher layer, naming both files", () => {
    const root = tree({
      "model/cost.ts": 'import type { Row } from "../report/table.js";\nexport const x = 1;\n',
      "report/table.ts": "export interface Row { a: number }\n",
    });
    const { status, output } = check(root);
    assert.equal(status, 1);
    assert.match(
      output,
      /src\/model\/cost\.ts imports src\/report\/table\.ts: model is below report/,
    );
    assert.match(output, /folders import each other|1 upward imports/);
  });

  it("fails on an import cycle between files of one folder", () => {
    const root = tree({
      "model/a.ts": 'import { b } from "./b.js";\nexport const a = b;\n',
      "model/b.ts": 'import { a } from "./a.js";\nexport const b = () => a;\n',
    });
    const { status, output } = check(root);
    assert.equal(status, 1);
    assert.match(output, /import cycle: src\/model\/a\.ts -> src\/model\/b\.ts/);
  });

  it("fails on I/O in the pure core but allows it in logs/sources and the emulator", () => {
    const root = tree({
      "model/read.ts": 'import { readFileSync } from "node:fs";\nexport const r = readFileSync;\n',
      "logs/sources/file.ts": 'import { open } from "node:fs/promises";\nexport const o = open;\n',
      "emulator/spawn.ts": 'import { spawn } from "node:child_process";\nexport const s = spawn;\n',
    });
    const { status, output } = check(root);
    assert.equal(status, 1);
    assert.match(output, /src\/model\/read\.ts imports node:fs: model does no I\/O/);
    assert.doesNotMatch(output, /logs\/sources|emulator\/spawn/);
  });

  it("fails on a folder that is in no layer", () => {
    const { status, output } = check(tree({ "misc/thing.ts": "export const t = 1;\n" }));
    assert.equal(status, 1);
    assert.match(output, /misc is in no layer/);
  });
});
