// `analyze` throughput and memory: writes a 10-million-line log to the temp
// directory (2.5 M invocations at three memory sizes: START, an app line, END
// and REPORT each; 2% cold starts, handler errors, timeouts and out-of-memory at 512 MB),
// runs the analyze core over a file stream in this process, and prints lines
// per second and peak memory (maxRSS and RSS sampled every 50 ms). The point:
// memory stays flat, as no record is kept beyond a 10,000-record sample per size.

import { closeSync, openSync, writeSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { analyzeRecords, streamSource } from "../src/analyze/analyze.js";
import { formatReportLine } from "../src/logs/format.js";
import type { ReportRecord } from "../src/logs/record.js";
import { openLogFile } from "../src/logs/sources/line-source.js";
import { resolvePricing } from "../src/model/pricing.js";
import { createRandom } from "../src/model/random.js";
import { DEFAULT_SAMPLE_PER_SIZE } from "../src/model/size-accumulator.js";

const TOTAL_LINES = 10_000_000;
const LINES_PER_INVOCATION = 4;
const INVOCATIONS_PER_BLOCK = 10_000;
const DISTINCT_BLOCKS = 16;
const SIZES = [512, 1024, 2048];

function uuid(random: () => number): string {
  const hex = (n: number) =>
    Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join("");
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}

function invocation(random: () => number): ReportRecord {
  const memorySizeMB = SIZES[Math.floor(random() * SIZES.length)] as number;
  // Log-normal around 800 ms x 512 / size, with a tail.
  const durationMs = ((800 * 512) / memorySizeMB) * Math.exp(0.3 * (random() + random() - 1)) + 1;
  const record: ReportRecord = {
    requestId: uuid(random),
    durationMs: Math.round(durationMs * 100) / 100,
    billedDurationMs: Math.ceil(durationMs),
    memorySizeMB,
    maxMemoryUsedMB: 90 + Math.floor(random() * 40),
    status: "success",
  };
  const roll = random();
  if (roll < 0.02) record.initDurationMs = 200 + Math.round(random() * 30_000) / 100;
  else if (roll < 0.025) {
    record.status = "error";
    record.errorType = "Runtime.HandlerError";
  } else if (memorySizeMB === 512 && roll < 0.0255) record.status = "timeout";
  else if (memorySizeMB === 512 && roll < 0.0257) {
    record.status = "error";
    record.errorType = "Runtime.OutOfMemory";
  }
  return record;
}

function block(random: () => number): Buffer {
  let text = "";
  for (let i = 0; i < INVOCATIONS_PER_BLOCK; i++) {
    const record = invocation(random);
    const id = record.requestId;
    text += `START RequestId: ${id} Version: $LATEST\n`;
    text += `2025-06-01T10:00:00.123Z\t${id}\tINFO\thandled order ${Math.floor(random() * 1e6)}\n`;
    text += `END RequestId: ${id}\n`;
    text += `${formatReportLine(record)}\n`;
  }
  return Buffer.from(text);
}

/** Synchronous writes of a few prepared blocks, so the generator's memory stays small. */
function writeLog(path: string): { lines: number; reports: number } {
  const random = createRandom(42);
  const blocks = Array.from({ length: DISTINCT_BLOCKS }, () => block(random));
  const fd = openSync(path, "w");
  let lines = 0;
  try {
    for (let i = 0; lines < TOTAL_LINES; i++) {
      writeSync(fd, blocks[i % DISTINCT_BLOCKS] as Buffer);
      lines += INVOCATIONS_PER_BLOCK * LINES_PER_INVOCATION;
    }
  } finally {
    closeSync(fd);
  }
  return { lines, reports: lines / LINES_PER_INVOCATION };
}

const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "lambda-tune-analyze-bench-"));
  const path = join(dir, "week.log");
  try {
    const { lines, reports } = writeLog(path);
    const bytes = (await stat(path)).size;
    console.log(
      `log: ${lines.toLocaleString("en-US")} lines (${reports.toLocaleString("en-US")} REPORT records at ${SIZES.join(", ")} MB), ${mb(bytes)}`,
    );
    globalThis.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const timer = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const started = performance.now();
    const doc = await analyzeRecords(
      streamSource([{ stream: await openLogFile(path), name: path }]),
      {
        functionName: "bench",
        source: { kind: "files", names: [path], method: null, notes: [] },
        window: { startMs: null, endMs: null, seconds: 7 * 86_400 },
        architecture: "x86_64",
        region: "us-east-1",
        pricing: resolvePricing({ region: "us-east-1", architecture: "x86_64" }),
        seed: 1,
        samplePerSize: DEFAULT_SAMPLE_PER_SIZE,
        toolVersion: "bench",
        now: () => new Date(),
      },
    );
    const seconds = (performance.now() - started) / 1000;
    clearInterval(timer);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (doc.records !== reports) throw new Error(`read ${doc.records} records, wrote ${reports}`);
    const maxRss = process.resourceUsage().maxRSS * 1024;
    console.log(
      `analyze: ${seconds.toFixed(1)} s, ${Math.round(lines / seconds).toLocaleString("en-US")} lines/s ` +
        `(${Math.round(reports / seconds).toLocaleString("en-US")} REPORT records/s, ${(bytes / 1024 ** 2 / seconds).toFixed(0)} MB/s)`,
    );
    console.log(
      `memory: RSS ${mb(rssBefore)} before, sampled peak ${mb(peakRss)} (+${mb(peakRss - rssBefore)}); process maxRSS ${mb(maxRss)}`,
    );
    for (const size of doc.sizes) {
      console.log(
        `  ${size.memoryMb} MB: ${size.invocations} calls, p50 ${size.durationMs.median.toFixed(1)} ms, p99 ${size.durationMs.p99.toFixed(1)} ms, ` +
          `${size.coldStarts} cold, ${size.errors} errors (${size.timeouts} timeouts, ${size.outOfMemory} OOM), timeout ${size.timeout.timeoutSeconds} s`,
      );
    }
    console.log(
      `  recommended across sizes (from ${DEFAULT_SAMPLE_PER_SIZE} sampled records per size): ${doc.acrossSizes?.recommendation?.memoryMb ?? "none"} MB`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
