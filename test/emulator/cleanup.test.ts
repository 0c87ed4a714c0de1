import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { isRunning } from "./fixture-pool.js";

const CHILD = fileURLToPath(new URL("./cleanup-child.ts", import.meta.url));

async function sandboxesOfInterruptedTool(signal: NodeJS.Signals) {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const pids = await new Promise<number[]>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("\n")) resolve(JSON.parse(out) as number[]);
    });
    child.once("exit", () => reject(new Error(`the child exited early: ${out}`)));
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  assert.ok(pids.length === 1 && pids.every(isRunning));
  child.kill(signal);
  return { pids, code: await exited };
}

describe("cleanup handlers", () => {
  for (const [signal, code] of [
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const) {
    it(`kill every sandbox when the tool gets ${signal}`, async () => {
      const result = await sandboxesOfInterruptedTool(signal);
      assert.equal(result.code, code);
      // SIGKILL is sent before the tool exits; the kernel may take a moment to end the group.
      const deadline = Date.now() + 10_000;
      while (result.pids.some(isRunning) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.ok(
        result.pids.every((pid) => !isRunning(pid)),
        "the sandbox outlived the tool",
      );
    });
  }
});
