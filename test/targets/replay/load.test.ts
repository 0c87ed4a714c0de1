import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { UsageError } from "../../../src/errors.js";
import { formatPlatformReport, formatReportLine } from "../../../src/logs/format.js";
import type { ReportRecord } from "../../../src/logs/record.js";
import { loadRecording } from "../../../src/targets/replay/load.js";

const F1 = fileURLToPath(new URL("../../../fixtures/recordings/pacslab-f1.log", import.meta.url));

const warm: ReportRecord = {
  requestId: "3f1a0c52-0d7e-4c59-9d1a-0f7b2f2c1e01",
  durationMs: 12.34,
  billedDurationMs: 13,
  memorySizeMB: 256,
  maxMemoryUsedMB: 71,
  status: "success",
};
const cold: ReportRecord = {
  ...warm,
  requestId: "9b2c7d11-5a3e-4f0b-8c6d-2e1f0a9b8c7d",
  memorySizeMB: 512,
  initDurationMs: 295.33,
};

function assertUsageError(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
    assert.match(error.message, pattern);
    assert.ok(error.hint, "a hint naming the fix");
    return true;
  };
}

describe("loadRecording", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lambda-tune-load-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a committed fixture: 46 sizes of 100 records", async () => {
    const recording = await loadRecording(F1);
    assert.equal(recording.name, "pacslab-f1.log");
    assert.equal(recording.records.length, 4600);
    const counts = new Map<number, number>();
    for (const r of recording.records)
      counts.set(r.memorySizeMB, (counts.get(r.memorySizeMB) ?? 0) + 1);
    assert.equal(counts.size, 46);
    assert.ok([...counts.values()].every((count) => count === 100));
    // Re-billed at 1 ms (fixtures/recordings/README.md).
    assert.ok(recording.records.every((r) => r.billedDurationMs === Math.ceil(r.durationMs)));
  });

  it("reads text REPORT lines among other log lines", async () => {
    const path = join(dir, "text.log");
    const lines = [
      `START RequestId: ${warm.requestId} Version: $LATEST`,
      "2024-01-01T00:00:00.000Z\tINFO\thello",
      `END RequestId: ${warm.requestId}`,
      formatReportLine(warm),
      formatReportLine(cold),
    ];
    await writeFile(path, `${lines.join("\n")}\n`);
    const recording = await loadRecording(path);
    assert.deepEqual(recording.records, [warm, cold]);
    assert.deepEqual(recording.warnings, []);
  });

  it("reads JSON-format platform.report events", async () => {
    const path = join(dir, "json.log");
    const lines = [
      JSON.stringify({ time: "2024-01-01T00:00:00.000Z", type: "platform.start", record: {} }),
      formatPlatformReport(cold, "2024-01-01T00:00:01.000Z"),
      formatPlatformReport(warm, "2024-01-01T00:00:02.000Z"),
    ];
    await writeFile(path, `${lines.join("\n")}\n`);
    const recording = await loadRecording(path);
    assert.deepEqual(recording.records, [cold, warm]);
  });

  it("skips unreadable REPORT lines and says so", async () => {
    const path = join(dir, "broken.log");
    const lines = [
      formatReportLine(warm),
      "REPORT RequestId: abc\tDuration: soon\t",
      formatReportLine(cold),
    ];
    await writeFile(path, `${lines.join("\n")}\n`);
    const recording = await loadRecording(path);
    assert.deepEqual(recording.records, [warm, cold]);
    assert.equal(recording.warnings.length, 1);
    assert.match(recording.warnings[0] ?? "", /skipped 1 REPORT line of broken\.log .*line 2/);
  });

  it("refuses a missing file, naming its path", async () => {
    const path = join(dir, "nowhere.log");
    await assert.rejects(loadRecording(path), assertUsageError(/nowhere\.log does not exist/));
  });

  it("refuses a directory", async () => {
    await assert.rejects(loadRecording(dir), assertUsageError(/is a directory/));
  });

  it("refuses a file without REPORT records, naming it", async () => {
    const path = join(dir, "empty.log");
    await writeFile(path, "START RequestId: x Version: $LATEST\nEND RequestId: x\n");
    await assert.rejects(loadRecording(path), assertUsageError(/empty\.log has no REPORT records/));
  });
});
