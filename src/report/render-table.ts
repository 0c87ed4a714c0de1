import Table from "cli-table3";
import type { ResultDocument, Tier } from "../document/result.js";
import { formatMs, formatPercent, formatUsd } from "../format.js";
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
/** A size within the tie tolerance of the cheapest: the band. */
export const BAND_MARK = "≈";
/** A size with only a cold call: shown, never compared. */
export const COLD_ONLY_MARK = "*";

// Billed Duration is in the JSON; its mean is the median's rounding here, so the
// column gave way to the cold call (docs/lambda-facts.md, "First calls").
const HEAD = [
  "memory\nMB",
  "warm\n+cold",
  "median\nms",
  "p95\nms",
  "max used\nMB",
  "per 1M\nUSD",
  "cold call\nms+init",
  "init cost\n/1M cold",
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
  const rows = tiers.map((tier) => tierRow(tier, markOf(doc, tier), options.color));
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

/**
 * Columns a narrow terminal leaves out, in this order, until the table fits:
 * the cold-start columns first (the JSON and `report` keep them), then p95
 * and max used. Memory, calls, median, cost and errors always stay.
 */
const DROP_ORDER = [7, 6, 3, 4];

function tableText(rows: string[][], { color, width }: TableOptions): string {
  const head = HEAD.map((h) =>
    h
      .split("\n")
      .map((part) => paint(part, "bold", color))
      .join("\n"),
  );
  const errorsColumn = HEAD.length - 1;
  const build = (columns: readonly number[], bordered: boolean) => {
    const pick = <T>(cells: readonly T[]) => columns.map((i) => cells[i]!);
    const colAligns = columns.map((i): "left" | "right" => (i === errorsColumn ? "left" : "right"));
    // Colors are painted into the cells; cli-table3's own would follow process.env and the TTY.
    const style = { head: [], border: [], compact: true };
    const table = bordered
      ? new Table({ head: pick(head), colAligns, style })
      : new Table({
          head: pick(head),
          colAligns,
          chars: BORDERLESS,
          style: { ...style, "padding-left": 0, "padding-right": 0 },
        });
    table.push(...rows.map(pick));
    return table;
  };
  const every = HEAD.map((_, i) => i);
  const bordered = build(every, true);
  if (bordered.width <= width) return bordered.toString();
  let columns = every;
  let plain = build(columns, false);
  for (const drop of DROP_ORDER) {
    if (plain.width <= width) break;
    columns = columns.filter((i) => i !== drop);
    plain = build(columns, false);
  }
  const text = plain
    .toString()
    .split("\n")
    .map((line) => line.trimEnd());
  const left = every.filter((i) => !columns.includes(i));
  if (left.length > 0) {
    const names = left
      .sort((a, b) => a - b)
      .map((i) => HEAD[i]!.split("\n")[0]!)
      .join(", ");
    const full = build(every, false).width;
    text.push(
      ...wrapText(`(left out to fit ${width} columns: ${names}; ${full} show them)`, width),
    );
  }
  return text.join("\n");
}

export type TierMark = "recommended" | "excluded" | "cold-only" | "band" | "none";

/** How a size's row is marked: recommended, excluded (cold-only apart), in the band, or not. */
export function markOf(doc: ResultDocument, tier: Tier): TierMark {
  if (tier.memoryMb === doc.recommendation?.memoryMb) return "recommended";
  if (tier.excluded !== undefined) return isColdOnly(tier) ? "cold-only" : "excluded";
  if (doc.recommendation?.band?.sizes.includes(tier.memoryMb)) return "band";
  return "none";
}

const MARKS: Record<TierMark, string> = {
  recommended: RECOMMENDED_MARK,
  excluded: EXCLUDED_MARK,
  "cold-only": COLD_ONLY_MARK,
  band: BAND_MARK,
  none: " ",
};

/** No warm call and no failure: its numbers are its cold calls'. */
export function isColdOnly(tier: Tier): boolean {
  return tier.warmInvocations === 0 && tier.coldStarts > 0 && tier.errors === 0;
}

function tierRow(tier: Tier, mark: TierMark, color: boolean): string[] {
  // Unmarked sizes are padded as wide as a mark so the numbers stay aligned.
  const cells = [
    `${tier.memoryMb} ${MARKS[mark]}`,
    callsText(tier),
    ...measuredCells(tier),
    paint(errorsText(tier), "red", color && tier.errors > 0),
  ];
  if (mark === "recommended") return cells.map((cell) => paint(cell, "green", color));
  if (mark === "excluded" || mark === "cold-only") {
    return cells.map((cell) => paint(cell, "dim", color));
  }
  return cells;
}

/** "9+1": warm and cold calls. */
export function callsText(tier: Tier): string {
  return `${tier.warmInvocations}+${tier.coldStarts}`;
}

/**
 * The measured columns of a size, as the terminal and HTML tables show them:
 * median, p95, max used (share of the size), per 1M (production's
 * cost with a cold-start rate), the cold call (median Duration + mean Init) and
 * what a cold start adds over a warm call per 1M cold starts. A size without a
 * warm call has no warm figures: only its cold call.
 */
export function measuredCells(tier: Tier): string[] {
  const usedPercent = Math.round((tier.maxMemoryUsedMb / tier.memoryMb) * 100);
  const warm = tier.warmInvocations > 0;
  const none = "–";
  const cost = tier.productionCostPerInvocationUsd ?? tier.costPerInvocationUsd;
  return [
    warm ? formatMs(tier.durationMs.median) : none,
    warm ? formatMs(tier.durationMs.p95) : none,
    `${Math.round(tier.maxMemoryUsedMb)} (${usedPercent}%)`,
    warm ? formatUsd(cost * 1e6) : none,
    coldCall(tier),
    initCost(tier),
  ];
}

function coldCall(tier: Tier): string {
  const cold = tier.coldDurationMs;
  if (cold == null || tier.initDurationMs === null)
    return String(tier.coldStarts === 0 ? "–" : tier.coldStarts);
  return `${formatMs(cold.median)}+${formatMs(tier.initDurationMs.mean)}`;
}

function initCost(tier: Tier): string {
  const cold = tier.coldCostPerInvocationUsd;
  if (cold == null || tier.warmInvocations === 0) return "–";
  return formatUsd((cold - tier.costPerInvocationUsd) * 1e6);
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
  const wrap = (note: string) => wrapText(note, width, "", "  ");
  const rec = doc.recommendation;
  if (rec !== null) {
    const { memoryMb, strategy } = rec;
    notes.push(
      paint(
        `${RECOMMENDED_MARK} recommended: ${memoryMb} MB (strategy ${strategy})`,
        "green",
        color,
      ),
    );
    if (rec.band !== undefined && rec.band.sizes.length > 1) {
      notes.push(
        ...wrap(
          `${BAND_MARK} within ${formatPercent(rec.band.tolerance)} of the cheapest (${rec.band.cheapestMemoryMb} MB): the same cost`,
        ),
      );
    }
    if (rec.coldStarts !== undefined) {
      const { rate } = rec.coldStarts;
      notes.push(
        ...wrap(
          `per 1M: at a ${formatPercent(rate)} cold-start rate, (1 − r) × warm + r × cold call`,
        ),
      );
    }
  }
  if (tiers.some(isColdOnly)) {
    notes.push(
      ...wrap(
        `${COLD_ONLY_MARK} only a cold call: not compared, since a first call's Duration includes one-off work`,
      ),
    );
  }
  for (const tier of tiers) {
    if (tier.excluded !== undefined && !isColdOnly(tier)) {
      notes.push(...wrap(`${EXCLUDED_MARK} ${tier.memoryMb} MB excluded: ${tier.excluded}`));
      if (tier.firstError !== undefined) {
        notes.push(
          ...wrapText(`first error: ${firstErrorText(tier.firstError)}`, width, "  ", "    "),
        );
      }
    }
    const size = `${tier.memoryMb} MB`;
    for (const warning of tier.warnings) {
      const note = warning.startsWith(size) ? warning : `${size}: ${warning}`;
      notes.push(...wrap(`! ${note}`));
    }
  }
  return notes;
}

/** "TypeError: REQUIRED_SETTING is not set", or the type alone when there is no message. */
export function firstErrorText(error: { errorType: string; errorMessage: string }): string {
  return error.errorMessage === "" ? error.errorType : `${error.errorType}: ${error.errorMessage}`;
}
