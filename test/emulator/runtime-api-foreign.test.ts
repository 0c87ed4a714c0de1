import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fixturePool } from "./fixture-pool.js";

/** The sandbox's Runtime API as a foreign local process finds it: its port, not its secret. */
function runtimePort(pid: number): string {
  const environ = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
  const value = environ.find((entry) => entry.startsWith("AWS_LAMBDA_RUNTIME_API="));
  const match = /=(127\.0\.0\.1:\d+)/.exec(value ?? "");
  assert.ok(match, String(value));
  return match[1] ?? "";
}

async function foreign(address: string, method: string, path: string): Promise<number> {
  const response = await fetch(`http://${address}/2018-06-01/runtime${path}`, {
    method,
    ...(method === "POST" && { body: "{}" }),
  });
  await response.text();
  return response.status;
}

describe("a sandbox's Runtime API takes requests only from its own runtime", () => {
  it("answers a foreign /next 403 and the idle warm runtime keeps serving", async () => {
    const { pool, started } = fixturePool("noop");
    try {
      assert.equal((await pool.invoke("{}")).record.status, "success");
      const [sandbox] = started;
      assert.ok(sandbox);
      const address = runtimePort(sandbox.pid);
      assert.equal(await foreign(address, "GET", "/invocation/next"), 403);
      assert.equal(await foreign(address, "POST", "/init/error"), 403);
      const again = await pool.invoke("{}");
      assert.equal(again.record.status, "success");
      assert.equal(again.record.initDurationMs, undefined, "the same warm sandbox served it");
      assert.equal(started.length, 1);
    } finally {
      await pool.release();
    }
  });

  it("a foreign request during an invocation changes nothing: the call ends normally", async () => {
    const { pool, started } = fixturePool("io-bound", { timeoutSeconds: 5 });
    try {
      await pool.invoke('{"waitMs":10}');
      const [sandbox] = started;
      assert.ok(sandbox);
      const address = runtimePort(sandbox.pid);
      const running = pool.invoke('{"waitMs":1500}');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(await foreign(address, "GET", "/invocation/next"), 403);
      const result = await running;
      assert.equal(result.record.status, "success", result.response);
      assert.deepEqual(JSON.parse(result.response ?? ""), { waitedMs: 1500 });
    } finally {
      await pool.release();
    }
  });
});
