import type { Change, Comparison, Gate, SizeChange } from "../document/comparison.js";
import { formatMs, formatPercent, formatUsd, formatSignedPercent as signed } from "../format.js";
import { paint, stripAnsi } from "./ansi.js";
import { codeSpan, escapeCell, markdownTable } from "./markdown.js";
import { wrapText } from "./wrap-text.js";

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
  /** Terminal columns: one table when it fits, else a narrower table per quantity. */
  width: number;
}

/** The comparison for a terminal: plain text, columns padded, lines within `width`. */
export function renderComparisonText(
  comparison: Comparison,
  { color, width }: ComparisonTextOptions,
): string {
  const { baseline, current } = comparison;
  const wrap = (text: string, first = "", rest = first) => wrapText(text, width, first, rest);
  const lines = [
    ...wrap(`${comparison.function}: this run against the baseline`).map((line) =>
      paint(line, "bold", color),
    ),
    ...wrap(
      `baseline ${baseline.generatedAt} (seed ${baseline.seed}), this run ${current.generatedAt} (seed ${current.seed})`,
    ),
    "",
    ...wrap(`recommendation: ${comparison.recommendation.summary}`, "", "  "),
    "",
  ];
  if (comparison.sizes.length > 0) {
    lines.push(...sizeTables(comparison.sizes, width), ...wrap(legend(comparison)));
  } else {
    lines.push("no memory size was measured in both runs");
  }
  for (const line of onlyIn(comparison)) lines.push(...wrap(line, "", "  "));
  if (comparison.gate !== null) {
    const { gate } = comparison;
    lines.push(
      "",
      ...wrap(gateHeadline(gate)).map((l) => paint(l, gate.tripped ? "red" : "green", color)),
    );
    for (const check of gate.checks) {
      const mark = check.tripped ? paint("✗", "red", color) : paint("✓", "green", color);
      lines.push(...wrap(check.detail, `  ${mark} `, "    "));
    }
  }
  if (comparison.warnings.length > 0) {
    lines.push("", paint("warnings:", "yellow", color));
    for (const warning of comparison.warnings) lines.push(...wrap(warning, "- ", "  "));
  }
  return lines.join("\n");
}

/**
 * The sizes in one table when it fits in `width`; else one table per
 * quantity (median, p95, cost), each a size a line, which fits in ~60 columns.
 */
function sizeTables(sizes: readonly SizeChange[], width: number): string[] {
  const notes = sizes.flatMap((size) => {
    const note = sizeCells(size)[4]!;
    return note === "" ? [] : wrapText(`${size.memoryMb} MB: ${note}`, width, "", "  ");
  });
  const wide = paddedTable(
    SIZE_HEAD.slice(0, 4),
    sizes.map((size) => sizeCells(size).slice(0, 4)),
  );
  if (Math.max(...wide.map((line) => stripAnsi(line).length)) <= width) return [...wide, ...notes];
  const lines: string[] = [];
  const quantities: [string, (s: SizeChange) => Change, (value: number) => string][] = [
    ["median (ms)", (s) => s.medianMs, formatMs],
    ["p95 (ms)", (s) => s.p95Ms, formatMs],
    ["cost per 1M (USD)", (s) => s.costPerInvocationUsd, perMillion],
  ];
  for (const [name, of, format] of quantities) {
    const rows = sizes.map((size) => {
      const change = of(size);
      const interval =
        change.relativeInterval === null
          ? ""
          : `${signed(change.relativeInterval[0])} to ${signed(change.relativeInterval[1])}`;
      return [
        String(size.memoryMb),
        `${format(change.baseline)} → ${format(change.current)}`,
        `${signed(change.relative)}${NOISE_MARK[change.verdict]}`,
        interval,
      ];
    });
    lines.push(...paddedTable(["MB", name, "change", "95% interval"], rows), "");
  }
  if (notes.length > 0) lines.push(...notes, "");
  return lines;
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
