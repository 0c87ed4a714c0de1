import Table from "cli-table3";
import type { ResultDocument, Tier } from "../document/result.js";
import { formatMs, formatUsd } from "../format.js";
import { OUT_OF_MEMORY } from "../lambda.js";
import { paint, stripAnsi } from "./ansi.js";
import { runtimeText } from "./runtime-text.js";
import { wrapText } from "./wrap-text.js";

export interface TableOptions {
  color: boolean;
  /** Terminal columns; the table drops its borders when they would not fit. */
  width: number;
}

export const RECOMMENDED_MARK = "◀";
export const EXCLUDED_MARK = "✗";

const HEAD = [
  "memory\nMB",
  "calls",
  "median\nms",
  "p95\nms",
  "billed\nmean ms",
  "max used\nMB",
  "per 1M\nUSD",
  "cold starts\n(mean init)",
  "errors",
];

const BORDERLESS = {
  top: "",
  "top-mid": "",
  "top-left": "",
  "top-right": "",
  bottom: "",
  "bottom-mid": "",
  "bottom-left": "",
  "bottom-right": "",
  left: "",
  "left-mid": "",
  mid: "",
  "mid-mid": "",
  right: "",
  "right-mid": "",
  middle: "  ",
};

/** The header line, one row per measured size, and notes on the marks. */
export function renderTable(doc: ResultDocument, options: TableOptions): string {
  const tiers = [...doc.tiers].sort((a, b) => a.memoryMb - b.memoryMb);
  const recommended = doc.recommendation?.memoryMb;
  const rows = tiers.map((tier) => tierRow(tier, tier.memoryMb === recommended, options.color));
  const table = rows.length === 0 ? "no memory size was measured" : tableText(rows, options);
  const lines = [...headerLines(doc, options), table];
  const notes = tableNotes(doc, tiers, options);
  if (notes.length > 0) lines.push("", ...notes);
  return lines.join("\n");
}

function headerLines(doc: ResultDocument, { color, width }: TableOptions): string[] {
  const parts = [
    paint(doc.function, "bold", color),
    `${doc.target} target`,
    ...(doc.runtime === undefined ? [] : [runtimeText(doc.runtime)]),
    doc.architecture,
    doc.region,
  ];
  if (doc.isolation !== undefined && doc.isolation !== "none")
    parts.push(`isolation ${doc.isolation}`);
  const lines = joinWrapped(parts, " · ", width);
  if (doc.isolation === "none") {
    const warning =
      "isolation none: CPU and memory were not limited, so durations do not reflect memory size";
    lines.push(...wrapText(warning, width).map((line) => paint(line, "yellow", color)));
  }
  lines.push("");
  return lines;
}

/** Joins `parts` with `separator`, starting a new line where the next part would not fit. */
function joinWrapped(parts: string[], separator: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const part of parts) {
    const joined = line === "" ? part : `${line}${separator}${part}`;
    if (line !== "" && stripAnsi(joined).length > width) {
      lines.push(line);
      line = part;
    } else {
      line = joined;
    }
  }
  lines.push(line);
  return lines;
}

function tableText(rows: string[][], { color, width }: TableOptions): string {
  const colAligns = HEAD.map((_, i): "left" | "right" =>
    i === HEAD.length - 1 ? "left" : "right",
  );
  const head = HEAD.map((h) =>
    h
      .split("\n")
      .map((part) => paint(part, "bold", color))
      .join("\n"),
  );
  // Colors are painted into the cells; cli-table3's own would follow process.env and the TTY.
  const style = { head: [], border: [], compact: true };
  const bordered = new Table({ head, colAligns, style });
  bordered.push(...rows);
  if (bordered.width <= width) return bordered.toString();
  const plain = new Table({
    head,
    colAligns,
    chars: BORDERLESS,
    style: { ...style, "padding-left": 0, "padding-right": 0 },
  });
  plain.push(...rows);
  return plain
    .toString()
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n");
}

function tierRow(tier: Tier, recommended: boolean, color: boolean): string[] {
  // Unmarked sizes are padded as wide as a mark so the numbers stay aligned.
  const mark = recommended
    ? ` ${RECOMMENDED_MARK}`
    : tier.excluded !== undefined
      ? ` ${EXCLUDED_MARK}`
      : "  ";
  const cells = [
    `${tier.memoryMb}${mark}`,
    String(tier.invocations),
    ...measuredCells(tier),
    paint(errorsText(tier), "red", color && tier.errors > 0),
  ];
  if (recommended) return cells.map((cell) => paint(cell, "green", color));
  if (tier.excluded !== undefined) return cells.map((cell) => paint(cell, "dim", color));
  return cells;
}

/**
 * The measured columns of a size, as the terminal and HTML tables show them:
 * median, p95, billed mean, max used (share of the size), per 1M, cold starts.
 */
export function measuredCells(tier: Tier): string[] {
  const usedPercent = Math.round((tier.maxMemoryUsedMb / tier.memoryMb) * 100);
  return [
    formatMs(tier.durationMs.median),
    formatMs(tier.durationMs.p95),
    formatMs(tier.billedDurationMs.mean),
    `${Math.round(tier.maxMemoryUsedMb)} (${usedPercent}%)`,
    formatUsd(tier.costPerMillionUsd),
    coldStarts(tier),
  ];
}

function coldStarts(tier: Tier): string {
  if (tier.coldStarts === 0 || tier.initDurationMs === null) return String(tier.coldStarts);
  return `${tier.coldStarts} (${formatMs(tier.initDurationMs.mean)} ms)`;
}

/** "0", or the count and what they were: "3 OOM", "4: 2 timeout, 1 OOM, 1 other". */
export function errorsText(tier: Tier): string {
  if (tier.errors === 0) return "0";
  const kinds: [string, number][] = [];
  if (tier.timeouts > 0) kinds.push(["timeout", tier.timeouts]);
  if (tier.outOfMemory > 0) kinds.push(["OOM", tier.outOfMemory]);
  for (const [type, count] of Object.entries(tier.errorTypes)) {
    // Already counted above under their own fields.
    if (type === OUT_OF_MEMORY || /timed?\s*out/i.test(type)) continue;
    kinds.push([type.replace(/^Runtime\./, ""), count]);
  }
  const named = kinds.reduce((sum, [, count]) => sum + count, 0);
  if (named < tier.errors) kinds.push(["other", tier.errors - named]);
  const list = kinds.map(([name, count]) => `${count} ${name}`).join(", ");
  return kinds.length === 1 && kinds[0]![1] === tier.errors ? list : `${tier.errors}: ${list}`;
}

function tableNotes(doc: ResultDocument, tiers: Tier[], { color, width }: TableOptions): string[] {
  const notes: string[] = [];
  if (doc.recommendation !== null) {
    const { memoryMb, strategy } = doc.recommendation;
    notes.push(
      paint(
        `${RECOMMENDED_MARK} recommended: ${memoryMb} MB (strategy ${strategy})`,
        "green",
        color,
      ),
    );
  }
  for (const tier of tiers) {
    if (tier.excluded !== undefined) {
      const note = `${EXCLUDED_MARK} ${tier.memoryMb} MB excluded: ${tier.excluded}`;
      notes.push(...wrapText(note, width, "", "  "));
      if (tier.firstError !== undefined) {
        notes.push(
          ...wrapText(`first error: ${firstErrorText(tier.firstError)}`, width, "  ", "    "),
        );
      }
    }
    const size = `${tier.memoryMb} MB`;
    for (const warning of tier.warnings) {
      const note = warning.startsWith(size) ? warning : `${size}: ${warning}`;
      notes.push(...wrapText(`! ${note}`, width, "", "  "));
    }
  }
  return notes;
}

/** "TypeError: REQUIRED_SETTING is not set", or the type alone when there is no message. */
export function firstErrorText(error: { errorType: string; errorMessage: string }): string {
  return error.errorMessage === "" ? error.errorType : `${error.errorType}: ${error.errorMessage}`;
}
