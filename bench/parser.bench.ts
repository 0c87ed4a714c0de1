// REPORT parser throughput and memory: generates a >= 1 GB text log and a
// ~300 MB JSON log in the temp directory, reads them through readRecords over
// a file stream (one process, one core) and prints REPORT lines per second
// and peak RSS. Goal: >= 1,000,000 text and JSON REPORT lines/s with flat
// memory. Each file is read PARSER_BENCH_RUNS times (default 3): on a shared
// machine the best run is the parser's speed, the median what to expect.
// Then the `parse` command end to end, NDJSON output to /dev/null.

import { closeSync, createReadStream, createWriteStream, openSync, writeSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { PassThrough, Readable } from "node:stream";
import { parseCommand } from "../src/cli/parse-command.js";
import { formatPlatformReport, formatReportLine } from "../src/logs/format.js";
import type { ReportRecord } from "../src/logs/record.js";
import { LOG_READ_CHUNK_BYTES, readLineBatches } from "../src/logs/sources/line-source.js";
import { readRecords } from "../src/logs/sources/read-records.js";

const TEXT_BYTES = 1024 ** 3;
const JSON_BYTES = 300 * 1024 ** 2;
const DISTINCT_BLOCKS = 32;
const RUNS = Math.max(1, Number(process.env.PARSER_BENCH_RUNS ?? 3));

/** mulberry32: a small seeded generator, so every run reads the same file. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuid(random: () => number): string {
  const hex = (n: number) =>
    Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join("");
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}

function randomRecord(random: () => number): ReportRecord {
  const memorySizeMB = [128, 256, 512, 1024, 1769, 3008][Math.floor(random() * 6)] as number;
  const durationMs = Math.round(random() * 300_000) / 100;
  const record: ReportRecord = {
    requestId: uuid(random),
    durationMs,
    billedDurationMs: Math.ceil(durationMs),
    memorySizeMB,
    maxMemoryUsedMB: 60 + Math.floor(random() * 60),
    status: "success",
  };
  if (random() < 0.05) record.initDurationMs = Math.round(random() * 50_000) / 100;
  if (random() < 0.01) {
    record.status = "error";
    record.errorType = "Runtime.OutOfMemory";
  }
  return record;
}

/** About 1 MB of one log format, with START/END/app lines around each REPORT line. */
function textBlock(random: () => number): { text: string; reports: number } {
  let text = "";
  let reports = 0;
  while (text.length < 1 << 20) {
    const record = randomRecord(random);
    const id = record.requestId;
    text += `START RequestId: ${id} Version: $LATEST\n`;
    text += `2024-03-05T10:00:00.123Z\t${id}\tINFO\thandled order ${Math.floor(random() * 1e6)}\n`;
    text += `END RequestId: ${id}\n`;
    text += `${formatReportLine(record)}\n`;
    reports++;
  }
  return { text, reports };
}

function jsonBlock(random: () => number): { text: string; reports: number } {
  let text = "";
  let reports = 0;
  while (text.length < 1 << 20) {
    const record = randomRecord(random);
    const id = record.requestId;
    const time = "2024-03-05T10:00:00.123Z";
    text += `{"time":"${time}","type":"platform.start","record":{"requestId":"${id}","version":"$LATEST"}}\n`;
    text += `{"timestamp":"${time}","level":"INFO","requestId":"${id}","message":"handled order ${Math.floor(random() * 1e6)}"}\n`;
    text += `${formatPlatformReport(record, time)}\n`;
    reports++;
  }
  return { text, reports };
}

// Synchronous writes of a few prepared buffers keep the generator's own memory
// small, so the process's max RSS reflects the parse.
function writeLog(
  path: string,
  bytes: number,
  block: (random: () => number) => { text: string; reports: number },
): { bytes: number; reports: number; lines: number } {
  const random = seeded(42);
  const blocks = Array.from({ length: DISTINCT_BLOCKS }, () => {
    const { text, reports } = block(random);
    return { data: Buffer.from(text), reports, lines: text.split("\n").length - 1 };
  });
  const fd = openSync(path, "w");
  let written = 0;
  let reports = 0;
  let lines = 0;
  try {
    for (let i = 0; written < bytes; i++) {
      const next = blocks[i % DISTINCT_BLOCKS] as { data: Buffer; reports: number; lines: number };
      writeSync(fd, next.data);
      written += next.data.length;
      reports += next.reports;
      lines += next.lines;
    }
  } finally {
    closeSync(fd);
  }
  return { bytes: written, reports, lines };
}

/** Samples RSS while `work` runs; returns its result and the peak seen. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakRss: number }> {
  let peakRss = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  try {
    const result = await work();
    return { result, peakRss: Math.max(peakRss, process.memoryUsage().rss) };
  } finally {
    clearInterval(timer);
  }
}

async function countRecords(path: string): Promise<{ records: number; malformed: number }> {
  let records = 0;
  let malformed = 0;
  const input = createReadStream(path, { highWaterMark: LOG_READ_CHUNK_BYTES });
  const onMalformed = () => {
    malformed++;
  };
  for await (const record of readRecords(input, path, { onMalformed })) {
    if (record.durationMs >= 0) records++;
  }
  return { records, malformed };
}

const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;
const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString("en-US");

async function measure(
  label: string,
  path: string,
  expected: { bytes: number; reports: number; lines: number },
) {
  const rates: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const started = performance.now();
    const { result, peakRss } = await withPeakRss(() => countRecords(path));
    const elapsed = performance.now() - started;
    const ok = result.records === expected.reports && result.malformed === 0 ? "ok" : "MISMATCH";
    rates.push((result.records / elapsed) * 1000);
    console.log(
      `parser ${label} run ${run}: ${mb(expected.bytes)}, ${result.records.toLocaleString("en-US")} REPORT records (${ok}) ` +
        `in ${(elapsed / 1000).toFixed(2)} s = ${perSecond(result.records, elapsed)} REPORT lines/s ` +
        `(${perSecond(expected.lines, elapsed)} lines/s of all kinds), ` +
        `${((expected.bytes / 1024 ** 2 / elapsed) * 1000).toFixed(0)} MB/s, peak RSS ${mb(peakRss)}`,
    );
  }
  summarize(`parser ${label}`, rates);
}

function summarize(label: string, rates: number[]) {
  const sorted = [...rates].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] as number;
  const rate = (n: number) => Math.round(n).toLocaleString("en-US");
  console.log(
    `${label}: best ${rate(sorted.at(-1) as number)}, median ${rate(median)} REPORT lines/s over ${rates.length} runs`,
  );
}

/** `lambda-tune parse` in process: parsing, NDJSON formatting and writing to /dev/null. */
async function measureParseCommand(label: string, path: string, reports: number) {
  const rates: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const stdout = createWriteStream("/dev/null");
    const stderr = new PassThrough();
    const started = performance.now();
    const { peakRss } = await withPeakRss(() =>
      parseCommand([path], { stdin: Readable.from([]), stdout, stderr }),
    );
    await new Promise((resolve) => stdout.end(resolve));
    const elapsed = performance.now() - started;
    rates.push((reports / elapsed) * 1000);
    console.log(
      `parser parse command ${label} run ${run}: ${(elapsed / 1000).toFixed(2)} s = ` +
        `${perSecond(reports, elapsed)} REPORT lines/s, peak RSS ${mb(peakRss)}`,
    );
  }
  summarize(`parser parse command ${label}`, rates);
}

async function measureSplitters(path: string, bytes: number) {
  let started = performance.now();
  let lines = 0;
  for await (const batch of readLineBatches(
    createReadStream(path, { highWaterMark: LOG_READ_CHUNK_BYTES }),
  )) {
    lines += batch.lines.length;
  }
  const ownMs = performance.now() - started;
  started = performance.now();
  let readlineLines = 0;
  const rl = createInterface({
    input: createReadStream(path, { highWaterMark: LOG_READ_CHUNK_BYTES }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const _line of rl) readlineLines++;
  const readlineMs = performance.now() - started;
  const rate = (ms: number) => `${((bytes / 1024 ** 2 / ms) * 1000).toFixed(0)} MB/s`;
  console.log(
    `parser line splitting only (${lines.toLocaleString("en-US")} lines): readLineBatches ${rate(ownMs)}, ` +
      `node:readline ${rate(readlineMs)}${readlineLines === lines ? "" : " (line counts differ!)"}`,
  );
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "lambda-tune-parser-bench-"));
  try {
    const textPath = join(dir, "report.log");
    const jsonPath = join(dir, "report-json.log");
    const text = writeLog(textPath, TEXT_BYTES, textBlock);
    const json = writeLog(jsonPath, JSON_BYTES, jsonBlock);
    console.log(
      `parser bench files: text ${mb((await stat(textPath)).size)}, JSON ${mb((await stat(jsonPath)).size)} in ${dir}`,
    );
    await measure("text", textPath, text);
    await measure("json", jsonPath, json);
    await measureParseCommand("text", textPath, text.reports);
    await measureParseCommand("json", jsonPath, json.reports);
    await measureSplitters(textPath, text.bytes);
    console.log(`parser max RSS of the process: ${mb(process.resourceUsage().maxRSS * 1024)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
