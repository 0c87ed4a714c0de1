import type { Change, Comparison, Gate, SizeChange } from "../document/comparison.js";
import { formatMs, formatPercent, formatUsd } from "../format.js";
import { paint } from "./ansi.js";
import { codeSpan, escapeCell, markdownTable } from "./markdown.js";

/** A fraction with its sign: +12%, −3.4%, 0%. */
function signed(fraction: number): string {
  if (fraction === 0) return "0%";
  return `${fraction > 0 ? "+" : "−"}${formatPercent(Math.abs(fraction))}`;
}

const NOISE_MARK: Record<Change["verdict"], string> = {
  increase: " ▲",
  decrease: " ▼",
  "within-noise": "",
  "too-few-calls": " ?",
};

/** "561 → 580 ms, +3.4% (−1% to +6.8%) ▲": values, relative change, its interval, a mark beyond noise. */
function changeText(change: Change, format: (value: number) => string): string {
  const interval =
    change.relativeInterval === null
      ? ""
      : ` (${signed(change.relativeInterval[0])} to ${signed(change.relativeInterval[1])})`;
  const values = `${format(change.baseline)} → ${format(change.current)}`;
  return `${values}, ${signed(change.relative)}${interval}${NOISE_MARK[change.verdict]}`;
}

const perMillion = (usd: number) => formatUsd(usd * 1e6);

function sizeCells(size: SizeChange): string[] {
  const { baseline, current } = size.excluded;
  const note =
    current !== null ? `excluded: ${current}` : baseline !== null ? "no longer excluded" : "";
  return [
    String(size.memoryMb),
    changeText(size.medianMs, formatMs),
    changeText(size.p95Ms, formatMs),
    changeText(size.costPerInvocationUsd, perMillion),
    note,
  ];
}

const SIZE_HEAD = ["memory (MB)", "median (ms)", "p95 (ms)", "cost per 1M (USD)", "note"];

function gateHeadline(gate: Gate): string {
  const where = gate.memoryMb === null ? "no size" : `${gate.memoryMb} MB (${gate.basis})`;
  const verdict = gate.tripped ? "FAILED" : "passed";
  return `gate --fail-on-regression ${formatPercent(gate.threshold)} at ${where}: ${verdict}`;
}

function onlyIn(comparison: Comparison): string[] {
  const lines: string[] = [];
  const list = (sizes: number[]) => sizes.map((m) => `${m} MB`).join(", ");
  if (comparison.onlyInBaseline.length > 0) {
    lines.push(`measured only in the baseline: ${list(comparison.onlyInBaseline)}`);
  }
  if (comparison.onlyInCurrent.length > 0) {
    lines.push(`measured only in this run: ${list(comparison.onlyInCurrent)}`);
  }
  return lines;
}

function legend(comparison: Comparison): string {
  return `changes are this run against the baseline, with the ${formatPercent(comparison.level)} interval of the change; ▲/▼: up/down beyond noise, ?: too few calls to tell`;
}

/** The comparison as a Markdown section (GitHub-flavoured), headed at `level` (## is 2). */
export function renderComparisonMarkdown(comparison: Comparison, level = 2): string {
  const hashes = "#".repeat(level);
  const { baseline, current } = comparison;
  const lines = [
    `${hashes} What changed since the baseline`,
    "",
    `Baseline ${codeSpan(baseline.function)} of ${baseline.generatedAt} (seed ${baseline.seed}) against this run of ${current.generatedAt} (seed ${current.seed}).`,
    "",
    `**Recommendation:** ${escapeCell(comparison.recommendation.summary)}.`,
    "",
  ];
  if (comparison.sizes.length > 0) {
    lines.push(
      markdownTable(SIZE_HEAD, comparison.sizes.map(sizeCells), [
        "right",
        "right",
        "right",
        "right",
        "left",
      ]),
      "",
      `_${legend(comparison)}_`,
      "",
    );
  } else {
    lines.push("No memory size was measured in both runs.", "");
  }
  for (const line of onlyIn(comparison)) lines.push(`- ${line}`);
  if (onlyIn(comparison).length > 0) lines.push("");
  if (comparison.gate !== null) {
    const { gate } = comparison;
    lines.push(`**${gateHeadline(gate)}**`, "");
    for (const check of gate.checks) {
      lines.push(`- ${check.tripped ? "❌" : "✅"} ${escapeCell(check.detail)}`);
    }
    lines.push("");
  }
  if (comparison.warnings.length > 0) {
    lines.push("**Warnings**", "", ...comparison.warnings.map((w) => `- ${escapeCell(w)}`), "");
  }
  return lines.join("\n").trimEnd();
}

export interface ComparisonTextOptions {
  color: boolean;
}

/** The comparison for a terminal: plain text, columns padded. */
export function renderComparisonText(
  comparison: Comparison,
  { color }: ComparisonTextOptions,
): string {
  const { baseline, current } = comparison;
  const lines = [
    paint(`${comparison.function}: this run against the baseline`, "bold", color),
    `baseline ${baseline.generatedAt} (seed ${baseline.seed}), this run ${current.generatedAt} (seed ${current.seed})`,
    "",
    `recommendation: ${comparison.recommendation.summary}`,
    "",
  ];
  if (comparison.sizes.length > 0) {
    lines.push(...paddedTable(SIZE_HEAD, comparison.sizes.map(sizeCells)), legend(comparison));
  } else {
    lines.push("no memory size was measured in both runs");
  }
  lines.push(...onlyIn(comparison));
  if (comparison.gate !== null) {
    const { gate } = comparison;
    lines.push("", paint(gateHeadline(gate), gate.tripped ? "red" : "green", color));
    for (const check of gate.checks) {
      const mark = check.tripped ? paint("✗", "red", color) : paint("✓", "green", color);
      lines.push(`  ${mark} ${check.detail}`);
    }
  }
  if (comparison.warnings.length > 0) {
    lines.push(
      "",
      paint("warnings:", "yellow", color),
      ...comparison.warnings.map((w) => `- ${w}`),
    );
  }
  return lines.join("\n");
}

function paddedTable(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(head), ...rows.map(line)];
}
