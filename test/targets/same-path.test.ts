// @serial: it compares durations measured under real CPU limits, so it runs alone (scripts/run-tests.mjs).
// The local target runs sandboxes in-process; the aws target drives the same
// sandboxes through the emulator's Lambda API over HTTP. These tests show the
// two paths produce the same records for the same handler, so trusting one
// sweep path is trusting both.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { NoLimits } from "../../src/emulator/limits/none.js";
import type { ReportRecord } from "../../src/logs/record.js";
import { createAwsTarget } from "../../src/targets/aws/index.js";
import { createLocalTarget } from "../../src/targets/local/index.js";
import type { Target } from "../../src/targets/target.js";
import { ROOT, startEmulator, THROWS, useTestCredentials } from "./aws/aws-fixture.js";

const CPU = "fixtures/functions/cpu-bound/index.handler";
const PAYLOAD = JSON.stringify({ iterations: 200 });

async function records(target: Target, memoryMb: number, payload: string, count: number) {
  const prepared = await target.prepare(memoryMb);
  const out: ReportRecord[] = [];
  try {
    for (let i = 0; i < count; i++) out.push((await prepared.invoke(payload)).record);
  } finally {
    await prepared.release();
  }
  return out;
}

/** What a record says apart from its timings and ids. */
function shape(record: ReportRecord) {
  return {
    memorySizeMB: record.memorySizeMB,
    status: record.status,
    errorType: record.errorType,
    cold: record.initDurationMs !== undefined,
    // Lambda's rule since August 2025: a cold start bills Duration + Init, rounded up.
    billed: record.billedDurationMs === Math.ceil(record.durationMs + (record.initDurationMs ?? 0)),
    fields: Object.keys(record)
      .filter((k) => k !== "requestId")
      .sort(),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

describe("local and aws (through the emulator's API) give the same records", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  before(async () => {
    useTestCredentials();
    emulator = await startEmulator({
      functions: [
        { name: "cpu", handler: CPU, memoryMb: 128, timeoutSeconds: 30 },
        { name: "throws", handler: THROWS, memoryMb: 128, timeoutSeconds: 30 },
      ],
    });
  });
  after(() => emulator.close());

  const local = (handler: string) =>
    createLocalTarget({
      handler,
      cwd: ROOT,
      timeoutSeconds: 30,
      isolation: new NoLimits(),
      hostCores: 2,
    });
  const aws = (name: string) =>
    createAwsTarget({
      functionArg: name,
      stateDir: emulator.stateDir,
      endpointUrl: emulator.url,
      region: "us-east-1",
    });

  it("a CPU-bound handler: same fields, cold then warm, same billing, similar durations", async () => {
    const viaLocal = local(CPU);
    const viaAws = aws("cpu");
    try {
      const a = await records(viaLocal, 512, PAYLOAD, 6);
      const b = await records(viaAws, 512, PAYLOAD, 6);
      assert.deepEqual(a.map(shape), b.map(shape));
      assert.deepEqual(
        a.map((r) => r.initDurationMs !== undefined),
        [true, false, false, false, false, false],
      );
      const ratio =
        median(a.slice(1).map((r) => r.durationMs)) / median(b.slice(1).map((r) => r.durationMs));
      assert.ok(ratio > 0.5 && ratio < 2, `warm medians differ by ${ratio.toFixed(2)}x`);
    } finally {
      await viaLocal.restore();
      await viaAws.restore();
    }
  });

  it("a handler that throws: the same error record on both paths", async () => {
    const viaLocal = local(THROWS);
    const viaAws = aws("throws");
    try {
      const [a] = await records(viaLocal, 256, "{}", 1);
      const [b] = await records(viaAws, 256, "{}", 1);
      assert.ok(a && b);
      assert.deepEqual(shape(a), shape(b));
      assert.equal(a.status, "error");
    } finally {
      await viaLocal.restore();
      await viaAws.restore();
    }
  });
});
