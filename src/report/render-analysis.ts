import type { AnalysisDocument, SizeAnalysis } from "../document/analysis.js";
import {
  formatDuration,
  formatMs,
  formatPercent,
  formatSignificant,
  formatUsd,
} from "../format.js";
import { paint, stripAnsi } from "./ansi.js";
import { codeSpan, escapeCell, markdownTable } from "./markdown.js";
import { renderResult } from "./renderers.js";
import { wrapText } from "./wrap-text.js";

export const ANALYSIS_FORMATS = ["table", "json", "markdown"] as const;
export type AnalysisFormat = (typeof ANALYSIS_FORMATS)[number];

export interface AnalysisRenderOptions {
  color: boolean;
  width: number;
}

const HEAD = [
  "memory MB",
  "calls",
  "cold",
  "init p50/max ms",
  "median ms",
  "p95 ms",
  "p99 ms",
  "max ms",
  "errors",
  "timeouts",
  "OOM",
  "used p99 MB",
  "per 1M USD",
];

function row(size: SizeAnalysis): string[] {
  const d = size.durationMs;
  const init = size.initDurationMs;
  return [
    String(size.memoryMb),
    String(size.invocations),
    `${size.coldStarts} (${formatPercent(size.coldStartRate)})`,
    init === null ? "-" : `${formatMs(init.median)} / ${formatMs(init.max)}`,
    formatMs(d.median),
    formatMs(d.p95),
    formatMs(d.p99),
    formatMs(d.max),
    String(size.errors),
    String(size.timeouts),
    String(size.outOfMemory),
    `${size.memory.p99UsedMb} (${formatPercent(size.memory.p99UsedFraction)})`,
    formatUsd(size.costPerMillionUsd),
  ];
}

function plainTable(head: readonly string[], rows: readonly string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join("  ");
  return [line(head), ...rows.map(line)].join("\n");
}

function sourceLine(doc: AnalysisDocument): string {
  const s = doc.source;
  const what =
    s.kind === "cloudwatch"
      ? `CloudWatch Logs ${s.names.join(", ")} (${s.method === "logs-insights" ? "Logs Insights" : "FilterLogEvents"})`
      : s.names.join(", ");
  const w = doc.window;
  const when =
    w === null
      ? ""
      : w.start !== null && w.end !== null
        ? `, ${w.start} to ${w.end}`
        : `, covering ${humanSpan(w.seconds)}`;
  return `${what}${when}`;
}

function monthlyLine(doc: AnalysisDocument): string | undefined {
  const m = doc.monthlyCost;
  if (m === null) return undefined;
  return (
    `monthly cost at the observed rate: ${formatUsd(m.usd)} (${m.invocations} invocation${m.invocations === 1 ? "" : "s"} in ${humanSpan(m.windowSeconds)}, ` +
    `${formatSignificant(m.invocationsPerSecond)}/s, ${formatSignificant(m.invocationsPerMonth)} in 30 days, ` +
    `mean ${formatUsd(m.meanCostPerInvocationUsd)} per invocation as billed, request fee included)`
  );
}

function sizeNotes(size: SizeAnalysis): string[] {
  const notes = [
    `memory ${size.memory.verdict}: ${size.memory.advice}`,
    `timeout ${size.timeout.reason}`,
  ];
  const types = Object.entries(size.errorTypes);
  if (types.length > 0)
    notes.push(`errors by type: ${types.map(([t, n]) => `${t} ${n}`).join(", ")}`);
  for (const w of size.timeout.warnings) notes.push(w);
  return notes.map((n) => `${size.memoryMb} MB: ${n}`);
}

/** Sizes listed one by one up to this many; beyond, their range and count. */
const LISTED_SIZES = 6;

/** "128 (47%), 192 (31%) MB", or for many sizes "44 sizes, 256-3008 MB (p99 used 23% down to 2.1%)". */
function verdictSizes(sizes: readonly AnalysisDocument["sizes"][number][]): string {
  if (sizes.length <= LISTED_SIZES) {
    const list = sizes.map((s) => `${s.memoryMb} (${formatPercent(s.memory.p99UsedFraction)})`);
    return `${list.join(", ")} MB`;
  }
  const used = sizes.map((s) => s.memory.p99UsedFraction);
  const first = sizes[0]!;
  const last = sizes.at(-1)!;
  return `${sizes.length} sizes from ${first.memoryMb} to ${last.memoryMb} MB (p99 used ${formatPercent(Math.max(...used))} down to ${formatPercent(Math.min(...used))})`;
}

/** "128 MB 7 s, 320-384 MB 3 s, ...": neighbouring sizes with the same timeout as one run. */
function timeoutRuns(sizes: readonly AnalysisDocument["sizes"][number][]): string {
  const runs: { from: number; to: number; seconds: number }[] = [];
  for (const size of sizes) {
    const last = runs.at(-1);
    if (last !== undefined && last.seconds === size.timeout.timeoutSeconds) last.to = size.memoryMb;
    else
      runs.push({ from: size.memoryMb, to: size.memoryMb, seconds: size.timeout.timeoutSeconds });
  }
  return runs
    .map((r) => `${r.from === r.to ? r.from : `${r.from}-${r.to}`} MB ${r.seconds} s`)
    .join(", ");
}

/** Beyond a few sizes, one line per verdict and one for the timeouts; the JSON keeps every reason. */
const DETAILED_SIZES = 3;

function notesOf(doc: AnalysisDocument): string[] {
  if (doc.sizes.length <= DETAILED_SIZES) return doc.sizes.flatMap(sizeNotes);
  const notes: string[] = [];
  for (const verdict of ["under-provisioned", "over-provisioned", "adequate"] as const) {
    const sizes = doc.sizes.filter((s) => s.memory.verdict === verdict);
    if (sizes.length === 0) continue;
    notes.push(`memory ${verdict} by p99 of Max Memory Used: ${verdictSizes(sizes)}`);
  }
  if (doc.sizes.some((s) => s.memory.verdict === "over-provisioned")) {
    notes.push(
      "CPU scales with memory (1,769 MB is one vCPU): a size with memory to spare is not too large unless the curve below says so",
    );
  }
  notes.push(
    `timeout per size: ${timeoutRuns(doc.sizes)} (p99.9 bound plus the longest init; reasons in --json)`,
  );
  for (const size of doc.sizes) {
    const types = Object.entries(size.errorTypes);
    if (types.length > 0) {
      notes.push(
        `${size.memoryMb} MB: errors by type: ${types.map(([t, n]) => `${t} ${n}`).join(", ")}`,
      );
    }
  }
  return notes;
}

function humanSpan(seconds: number): string {
  const units: [number, string][] = [
    [604_800, "w"],
    [86_400, "d"],
    [3_600, "h"],
    [60, "m"],
  ];
  for (const [size, unit] of units) {
    if (seconds >= size && Number.isInteger(seconds / size)) return `${seconds / size}${unit}`;
  }
  return formatDuration(seconds * 1000);
}

function basisNote(doc: AnalysisDocument): string {
  const allOnly = doc.sizes.filter((s) => s.durationBasis === "all").map((s) => `${s.memoryMb} MB`);
  const extra =
    allOnly.length > 0 ? `; ${allOnly.join(", ")} saw only cold starts, so all calls there` : "";
  return `durations of warm invocations${extra}; percentiles within ${formatPercent(doc.method.quantileRelativeError)} (log-bucketed sketch)`;
}

function renderText(doc: AnalysisDocument, options: AnalysisRenderOptions): string {
  const wrap = (text: string) => wrapText(text, options.width, "", "  ");
  const lines = [
    paint(
      `lambda-tune analyze${doc.function === null ? "" : `: ${doc.function}`}`,
      "bold",
      options.color,
    ),
    ...wrap(sourceLine(doc)),
    `${doc.records} REPORT record${doc.records === 1 ? "" : "s"} at ${doc.sizes.length} memory size${doc.sizes.length === 1 ? "" : "s"}`,
  ];
  if (doc.sizes.length > 0) {
    lines.push("", plainTable(HEAD, doc.sizes.map(row)), ...wrap(basisNote(doc)), "");
    for (const note of notesOf(doc)) lines.push(...wrap(note));
  }
  const monthly = monthlyLine(doc);
  if (monthly !== undefined) lines.push("", ...wrap(monthly));
  for (const note of doc.source.notes) lines.push(...wrap(`note: ${note}`));
  if (doc.warnings.length > 0) {
    lines.push(paint("warnings:", "yellow", options.color));
    for (const w of doc.warnings) lines.push(...wrapText(`- ${w}`, options.width, "  ", "    "));
  }
  let text = `${lines.join("\n")}\n`;
  if (doc.acrossSizes !== null) {
    text += `\n${paint("Across memory sizes, as lambda-tune run would judge them:", "bold", options.color)}\n\n`;
    text += renderResult(doc.acrossSizes, "table", options);
  }
  return options.color ? text : stripAnsi(text);
}

function renderMarkdownAnalysis(doc: AnalysisDocument): string {
  const title = doc.function === null ? "logs" : codeSpan(doc.function);
  const sections = [
    `## lambda-tune analyze: ${title}`,
    `${escapeCell(sourceLine(doc))}: ${doc.records} REPORT records at ${doc.sizes.length} memory size${doc.sizes.length === 1 ? "" : "s"}.`,
  ];
  if (doc.sizes.length > 0) {
    sections.push(
      markdownTable(
        HEAD,
        doc.sizes.map(row),
        HEAD.map((_, i) => (i === 0 ? "left" : "right")),
      ),
      `_${basisNote(doc)}_`,
      notesOf(doc)
        .map((n) => `- ${escapeCell(n)}`)
        .join("\n"),
    );
  }
  const monthly = monthlyLine(doc);
  if (monthly !== undefined) sections.push(`**${monthly}**`);
  const warnings = [...doc.source.notes, ...doc.warnings];
  if (warnings.length > 0) {
    sections.push(`**Warnings**\n\n${warnings.map((w) => `- ${escapeCell(w)}`).join("\n")}`);
  }
  let text = `${sections.join("\n\n")}\n`;
  if (doc.acrossSizes !== null) {
    // The result's own heading, one level down.
    text += `\n${renderResult(doc.acrossSizes, "markdown", { color: false, width: 100 }).replace(/^## /, "### Across memory sizes: ")}`;
  }
  return text;
}

/** The analysis in one of its formats; every output ends with a newline. */
export function renderAnalysis(
  doc: AnalysisDocument,
  format: AnalysisFormat,
  options: AnalysisRenderOptions,
): string {
  if (format === "json") return `${JSON.stringify(doc, null, 2)}\n`;
  if (format === "markdown") return renderMarkdownAnalysis(doc);
  return renderText(doc, options);
}
