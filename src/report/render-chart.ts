import * as asciichart from "asciichart";
import type { ResultDocument } from "../document/result.js";
import { formatPercent } from "../format.js";
import { paint } from "./ansi.js";
import { wrapText } from "./wrap-text.js";

export interface ChartOptions {
  color: boolean;
  /** Terminal columns; no line of the charts is longer. */
  width: number;
  /** Rows of each plot; 10 when absent. */
  height?: number;
  /** The fitted model's median duration (ms) at a memory size, drawn beside the measurements. */
  predict?: (memoryMb: number) => number;
}

interface Point {
  memoryMb: number;
  value: number;
}

interface ChartSpec {
  title: string;
  points: Point[];
  fitted?: { label: string; at: (memoryMb: number) => number };
}

// asciichart's label, one space, then the y axis; point i sits i characters right of the axis,
// so a line is at most label + 1 + columns characters long.
const OFFSET = 3;
const FITTED_MARK = "·";
// Stands in for a color so the fitted series can be told apart when there is no color.
const FITTED_SENTINEL = "\u0000";

/** Median duration and cost per 1M invocations against memory, with the measured sizes on the x axis. */
export function renderCharts(doc: ResultDocument, options: ChartOptions): string {
  // A size with only a cold call has no warm duration or cost to draw.
  const tiers = doc.tiers
    .filter((t) => t.warmInvocations > 0)
    .sort((a, b) => a.memoryMb - b.memoryMb);
  // A curve through sizes that all failed says nothing about the function.
  if (tiers.every((t) => t.errors > 0 && t.excluded !== undefined)) return "";
  const duration = tiers.map((t) => ({ memoryMb: t.memoryMb, value: t.durationMs.median }));
  const cost = tiers.map((t) => ({
    memoryMb: t.memoryMb,
    value: (t.productionCostPerInvocationUsd ?? t.costPerInvocationUsd) * 1e6,
  }));
  const fitted =
    options.predict !== undefined && doc.model !== null
      ? {
          label: `${doc.model.name} fit (held-out error ${formatPercent(doc.model.error)})`,
          at: options.predict,
        }
      : undefined;
  const recommended = doc.recommendation?.memoryMb;
  const charts = [
    renderChart(
      { title: "median duration (ms) by memory (MB)", points: duration, fitted },
      recommended,
      options,
    ),
    renderChart(
      { title: "cost per 1M invocations (USD) by memory (MB)", points: cost },
      recommended,
      options,
    ),
  ];
  return charts.filter((chart) => chart !== "").join("\n\n");
}

function renderChart(
  spec: ChartSpec,
  recommended: number | undefined,
  options: ChartOptions,
): string {
  const points = spec.points.filter((p) => Number.isFinite(p.value));
  const first = points[0];
  const last = points.at(-1);
  if (first === undefined || last === undefined) return "";
  const height = options.height ?? 10;

  // Labels as wide as the y range needs; the plot gets the columns left over.
  let labelWidth = yFormat(
    points.map((p) => p.value),
    height,
  ).labelWidth;
  let series = sampleSeries(points, spec, Math.max(2, options.width - labelWidth - 1));
  let y = yFormat(series.all, height);
  if (y.labelWidth > labelWidth) {
    labelWidth = y.labelWidth;
    series = sampleSeries(points, spec, Math.max(2, options.width - labelWidth - 1));
    y = yFormat(series.all, height);
  }
  const { columns, measured, fitted } = series;
  const plotted = asciichart.plot(fitted === undefined ? [measured] : [fitted, measured], {
    height,
    ...y.bounds,
    offset: OFFSET,
    format: (value) => y.format(value).padStart(labelWidth),
    colors:
      fitted === undefined
        ? [measuredColor(options)]
        : [fittedColor(options), measuredColor(options)],
  });
  const plot = (options.color ? plotted : plotted.replace(sentinelRun(), fittedChar))
    .split("\n")
    .map((line) => line.trimEnd());

  const axisStart = labelWidth + 1;
  const columnOf = (memoryMb: number) =>
    last.memoryMb === first.memoryMb
      ? 0
      : Math.round(
          ((memoryMb - first.memoryMb) / (last.memoryMb - first.memoryMb)) * (columns - 1),
        );
  const sizes = points.map((p) => p.memoryMb);
  const lines = [
    ...wrapText(spec.title, options.width),
    ...legend(spec, fitted !== undefined, options),
    ...plot,
    xAxis(sizes.map(columnOf), axisStart, columns),
    xLabels(sizes, columnOf, axisStart, recommended, options.width),
  ];
  if (recommended !== undefined && sizes.includes(recommended)) {
    lines.push(
      paint(
        caretLine(axisStart + columnOf(recommended), recommended, options.width),
        "green",
        options.color,
      ),
    );
  }
  return lines.join("\n");
}

function legend(spec: ChartSpec, hasFitted: boolean, { color, width }: ChartOptions): string[] {
  if (!hasFitted || spec.fitted === undefined) return [];
  const key = `── measured, ${FITTED_MARK.repeat(2)} ${spec.fitted.label}`;
  const lines = wrapText(key, width, "", "   ");
  return color
    ? lines.map((line) => line.replace(FITTED_MARK.repeat(2), paint("──", "cyan", true)))
    : lines;
}

function measuredColor({ color }: ChartOptions): asciichart.Color {
  return color ? asciichart.blue : undefined;
}

function fittedColor({ color }: ChartOptions): asciichart.Color {
  return color ? asciichart.cyan : FITTED_SENTINEL;
}

function sentinelRun(): RegExp {
  return new RegExp(`${FITTED_SENTINEL}(.)${escapeRegExp(asciichart.reset)}`, "gu");
}

function fittedChar(_match: string, char: string): string {
  // The first value lands on the y axis; keep the axis there.
  return char === "┼" ? char : FITTED_MARK;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Linear interpolation between the measured points, which are sorted by memory. */
export function interpolate(points: readonly Point[], memoryMb: number): number {
  let previous = points[0]!;
  for (const point of points) {
    if (point.memoryMb >= memoryMb) {
      if (point.memoryMb === previous.memoryMb) return point.value;
      const t = (memoryMb - previous.memoryMb) / (point.memoryMb - previous.memoryMb);
      return previous.value + t * (point.value - previous.value);
    }
    previous = point;
  }
  return previous.value;
}

/**
 * Y labels with as many decimals as a row's step needs, and the plot's bounds:
 * a flat series gets a band around its value, as asciichart labels it with a rounded one.
 */
function yFormat(values: number[], height: number) {
  const low = Math.min(...values);
  const high = Math.max(...values);
  const margin = high > low ? 0 : Math.abs(low) * 0.1 || 1;
  const bounds = { min: low - margin, max: high + margin };
  const step = (bounds.max - bounds.min) / Math.max(1, height);
  const decimals = Math.min(6, Math.max(0, Math.ceil(-Math.log10(step))));
  const format = (value: number) => value.toFixed(decimals);
  const labelWidth = Math.max(format(bounds.min).length, format(bounds.max).length, 2);
  return { format, labelWidth, bounds };
}

/** The measured points (interpolated) and the fitted curve at each column's memory size. */
function sampleSeries(points: Point[], spec: ChartSpec, columns: number) {
  const first = points[0]!.memoryMb;
  const last = points.at(-1)!.memoryMb;
  const memory = Array.from(
    { length: columns },
    (_, i) => first + ((last - first) * i) / (columns - 1),
  );
  const measured = memory.map((m) => interpolate(points, m));
  const curve = spec.fitted === undefined ? undefined : memory.map(spec.fitted.at);
  const fitted = curve?.every(Number.isFinite) ? curve : undefined;
  return { columns, measured, fitted, all: [...measured, ...(fitted ?? [])] };
}

function xAxis(tickColumns: number[], axisStart: number, columns: number): string {
  const ticks = new Set(tickColumns);
  let axis = "";
  for (let column = 0; column < columns; column++) {
    axis += column === 0 ? "└" : ticks.has(column) ? "┬" : "─";
  }
  return " ".repeat(axisStart) + axis;
}

/**
 * Each measured size printed under its tick. Where labels would overlap, the
 * recommended, smallest and largest sizes win and the others are left out.
 */
function xLabels(
  sizes: number[],
  columnOf: (memoryMb: number) => number,
  axisStart: number,
  recommended: number | undefined,
  width: number,
): string {
  const priority = [
    ...sizes.filter((s) => s === recommended),
    ...[sizes[0], sizes.at(-1)].filter((s): s is number => s !== undefined && s !== recommended),
    ...sizes.slice(1, -1).filter((s) => s !== recommended),
  ];
  const line: string[] = Array.from({ length: width }, () => " ");
  const taken: [number, number][] = [];
  for (const size of new Set(priority)) {
    const label = String(size);
    const centre = axisStart + columnOf(size);
    const start = Math.min(
      Math.max(0, centre - Math.floor((label.length - 1) / 2)),
      width - label.length,
    );
    const end = start + label.length;
    if (start < 0 || taken.some(([from, to]) => start <= to && end >= from)) continue;
    taken.push([start, end]);
    for (let i = 0; i < label.length; i++) line[start + i] = label[i]!;
  }
  return line.join("").trimEnd();
}

function caretLine(position: number, memoryMb: number, width: number): string {
  const text = `${memoryMb} MB recommended`;
  if (position + 2 + text.length <= width) return `${" ".repeat(position)}^ ${text}`;
  return `${" ".repeat(Math.max(0, position - text.length - 1))}${text} ^`;
}
