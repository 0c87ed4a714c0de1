// TypeScript handlers: compiled once with esbuild into a temporary directory,
// run by the Node.js runtime with source maps, the directory removed afterwards.
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { prepareHandler } from "../../../src/emulator/runtimes/index.js";
import { UsageError } from "../../../src/errors.js";
import { preparedPool, ROOT } from "./prepared-pool.js";
import { taskRoot } from "./runtime-process.js";

// A temporary directory of this file's own: other test files compile TypeScript at the same
// time, and their compiled copies in the shared one would be counted here.
const ownTmp = mkdtempSync(join(tmpdir(), "lambda-tune-ts-test-"));
chmodSync(ownTmp, 0o755); // sandboxes may run as nobody and read the compiled copy
const sharedTmp = process.env.TMPDIR;
process.env.TMPDIR = ownTmp;
after(() => {
  if (sharedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = sharedTmp;
  rmSync(ownTmp, { recursive: true, force: true });
});
const compiledDirs = () => readdirSync(ownTmp).filter((name) => name.startsWith("lambda-tune-ts-"));

describe("TypeScript handlers", () => {
  let root: ReturnType<typeof taskRoot>;
  before(() => {
    root = taskRoot({
      "package.json": '{"type": "module"}',
      "throws.ts": `interface Order { id: string }

export async function handler(event: Order): Promise<never> {
  const id: string = event.id;
  throw new Error(\`order \${id} failed\`);
}
`,
      "legacy.cts": `import { basename } from "node:path";
export const handler = async (): Promise<string> => basename(__filename);
`,
      "top-level.mts": `const ready: string = await Promise.resolve("ready");
export const handler = async (): Promise<string> => ready;
`,
      "uses-dep.ts": `import { describe } from "old-cjs";
export const handler = async () => describe();
`,
      "node_modules/old-cjs/package.json": '{"name": "old-cjs", "main": "index.js"}',
      "node_modules/old-cjs/index.js":
        'const os = require("os");\nmodule.exports = { describe: () => typeof os.cpus };\n',
      "syntax.ts": "export const handler = async (event: {) => 1;\n",
      "sdk/uses-sdk.ts": `import { LambdaClient } from "@aws-sdk/client-lambda";
export const handler = async () => typeof LambdaClient;
`,
    });
    // The AWS SDK is left out of the bundle (Lambda's runtime has it): it resolves from here.
    symlinkSync(join(ROOT, "node_modules"), join(root.dir, "sdk/node_modules"));
  });
  after(() => root?.remove());

  it("compiles once, runs with the Node.js runtime, and removes the compiled copy afterwards", async () => {
    const { pool, prepared, release } = await preparedPool(
      "fixtures/functions/typescript/index.handler",
    );
    const outDir = prepared.located.taskRoot;
    try {
      assert.match(prepared.compiler ?? "", /^esbuild \d+\.\d+\.\d+$/);
      assert.match(
        prepared.notes[0] ?? "",
        /^compiled fixtures\/functions\/typescript\/index\.ts with esbuild .* in .* \(not part of any Init or Duration\)$/,
      );
      assert.equal(prepared.located.file, join(ROOT, "fixtures/functions/typescript/index.ts"));
      assert.equal(prepared.located.runtime.name, `nodejs${process.versions.node.split(".")[0]}.x`);
      assert.ok(existsSync(join(outDir, "index.mjs")));
      const result = await pool.invoke('{"iterations": 3}');
      assert.equal(result.record.status, "success", result.response);
      const body = JSON.parse(result.response ?? "");
      assert.equal(body.iterations, 3);
      assert.ok(body.remainingMs > 0);
    } finally {
      await release();
    }
    assert.equal(existsSync(outDir), false);
  });

  it("maps stack traces back to the .ts lines", async () => {
    const { pool, release } = await preparedPool(`${root.dir}/throws.handler`);
    try {
      const failed = await pool.invoke('{"id": "A-1"}');
      assert.equal(failed.record.errorType, "Error");
      const body = JSON.parse(failed.response ?? "");
      assert.equal(body.errorMessage, "order A-1 failed");
      assert.match(body.stackTrace.join("\n"), /throws\.ts:5:\d+/);
    } finally {
      await release();
    }
  });

  it("compiles .cts as CommonJS, .mts as ESM (top-level await), and bundles CommonJS dependencies", async () => {
    for (const [spec, expected] of [
      ["legacy.handler", "legacy.cjs"],
      ["top-level.handler", "ready"],
      ["uses-dep.handler", "function"],
      ["sdk/uses-sdk.handler", "function"],
    ] as const) {
      const { pool, release } = await preparedPool(`${root.dir}/${spec}`);
      try {
        const result = await pool.invoke("{}");
        assert.equal(result.record.status, "success", `${spec}: ${result.response}`);
        assert.equal(JSON.parse(result.response ?? ""), expected, spec);
      } finally {
        await release();
      }
    }
  });

  it("refuses a file with a syntax error, naming the line, and leaves nothing behind", async () => {
    const before = compiledDirs().length;
    await assert.rejects(
      prepareHandler("syntax.handler", root.dir, { env: process.env, cwd: root.dir }),
      (error: unknown) =>
        error instanceof UsageError &&
        /^cannot compile .*syntax\.ts:\nsyntax\.ts:1:\d+: /.test(error.message) &&
        /syntax error esbuild reports/.test(error.hint ?? ""),
    );
    assert.equal(compiledDirs().length, before);
  });
});
