// Turns pacslab-2020's App_Lambda_Logs.csv into one REPORT-line recording per
// function under fixtures/recordings/ (see fixtures/recordings/README.md).
//
//   npx tsx scripts/convert-pacslab.ts [path/to/App_Lambda_Logs.csv] [out-dir]
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { formatReportLine } from "../src/logs/format.js";
import type { ReportRecord } from "../src/logs/record.js";

const HEADER = "Function,Memory Size,Max Memory Used,Duration,Billed Duration,RequestId";

const csvPath = process.argv[2] ?? "../shared/data/pacslab-2020/App_Lambda_Logs.csv";
const outDir = process.argv[3] ?? "fixtures/recordings";

function parseRow(line: string, lineNumber: number): { fn: string; record: ReportRecord } {
  const cells = line.split(",");
  const [fn, memory, maxUsed, duration, , requestId] = cells;
  const numbers = [memory, maxUsed, duration].map(Number);
  if (cells.length !== 6 || !fn || !requestId || numbers.some((n) => !Number.isFinite(n))) {
    throw new Error(`${csvPath}:${lineNumber}: not a row of ${HEADER}: ${line}`);
  }
  const [memorySizeMB, maxMemoryUsedMB, durationMs] = numbers as [number, number, number];
  return {
    fn,
    record: {
      requestId,
      durationMs,
      // Billed at 100 ms in 2020; today's 1 ms billing is ceil(Duration)
      // (docs/lambda-facts.md, "Billing").
      billedDurationMs: Math.ceil(durationMs),
      memorySizeMB,
      maxMemoryUsedMB,
      status: "success",
    },
  };
}

const lines = readFileSync(csvPath, "utf8").split(/\r?\n/);
if (lines[0] !== HEADER) throw new Error(`${csvPath}: expected the header ${HEADER}`);

const byFunction = new Map<string, ReportRecord[]>();
const seen = new Set<string>();
lines.slice(1).forEach((line, index) => {
  if (line.trim() === "") return;
  const { fn, record } = parseRow(line, index + 2);
  // One request id appears twice (f4, 2816 MB) with different figures; keep the first.
  if (seen.has(record.requestId)) {
    console.error(`skipped a second record of request ${record.requestId} (${fn}): ${line}`);
    return;
  }
  seen.add(record.requestId);
  const records = byFunction.get(fn) ?? [];
  records.push(record);
  byFunction.set(fn, records);
});

mkdirSync(outDir, { recursive: true });
for (const [fn, records] of [...byFunction].sort(([a], [b]) => a.localeCompare(b))) {
  // Stable sort: sizes ascending, the recorded order within a size.
  const sorted = [...records].sort((a, b) => a.memorySizeMB - b.memorySizeMB);
  const path = join(outDir, `pacslab-${fn}.log`);
  writeFileSync(path, `${sorted.map(formatReportLine).join("\n")}\n`);
  const sizes = new Set(sorted.map((r) => r.memorySizeMB)).size;
  console.error(`${path}: ${sorted.length} records at ${sizes} sizes`);
}
// Read and write rather than copy, so the copy is writable even when the source is not.
writeFileSync(join(outDir, "LICENSE-pacslab"), readFileSync(join(dirname(csvPath), "LICENSE")));
