import { type Axis, memoryAxis, valueAxis } from "./chart-ticks.js";
import { escapeHtml } from "./html-escape.js";

export interface ChartPoint {
  memoryMb: number;
  value: number;
  /** The top of a whisker and of the shaded band, e.g. p95 over a median. */
  high?: number;
  /** Shown on hover (an SVG <title>), e.g. every number of the size. */
  tooltip: string;
  excluded?: boolean;
}

export interface SvgChartSpec {
  /** Unique within the page: prefixes the element ids. */
  id: string;
  title: string;
  /** Units of the value axis, e.g. "ms" or "USD per 1M". */
  unit: string;
  /** Sorted by memory. */
  points: ChartPoint[];
  /** What the whiskers and band show, e.g. "median to p95". */
  rangeLabel?: string;
  fitted?: { label: string; at: (memoryMb: number) => number };
  recommendedMb?: number;
  /** Start the value axis at zero (durations), or fit it to the data (costs). */
  fromZero: boolean;
  format: (value: number) => string;
}

const WIDTH = 540;
const HEIGHT = 310;
const MARGIN = { top: 30, right: 20, bottom: 44, left: 58 };
const PLOT = {
  left: MARGIN.left,
  right: WIDTH - MARGIN.right,
  top: MARGIN.top,
  bottom: HEIGHT - MARGIN.bottom,
};
const CURVE_SAMPLES = 120;

/** A line chart of values against a linear memory axis, as inline SVG styled by the page's CSS. */
export function svgChart(spec: SvgChartSpec): string {
  const points = spec.points.filter((p) => Number.isFinite(p.value));
  const first = points[0];
  const last = points.at(-1);
  if (first === undefined || last === undefined) return "";
  const curve = fittedCurve(spec, first.memoryMb, last.memoryMb);
  const x = memoryAxis(first.memoryMb, last.memoryMb);
  const y = valueAxis(
    [...points.flatMap((p) => [p.value, p.high ?? p.value]), ...curveExtent(points, curve)],
    spec.fromZero,
  );
  const sx = scale(x, PLOT.left, PLOT.right);
  const sy = scale(y, PLOT.bottom, PLOT.top);
  const id = escapeHtml(spec.id);
  const recommended = points.find((p) => p.memoryMb === spec.recommendedMb);
  const parts = [
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc" preserveAspectRatio="xMidYMid meet">`,
    `<title id="${id}-title">${escapeHtml(spec.title)}</title>`,
    `<desc id="${id}-desc">${escapeHtml(describe(spec, points))}</desc>`,
    `<defs><clipPath id="${id}-plot"><rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}"/></clipPath></defs>`,
    grid(x, y, sx, sy, spec),
    band(points, sx, sy),
    `<polyline class="measured-line" points="${points.map((p) => `${n(sx(p.memoryMb))},${n(sy(p.value))}`).join(" ")}"/>`,
  ];
  if (curve.length > 1) {
    const path = curve.map(([m, v], i) => `${i === 0 ? "M" : "L"}${n(sx(m))},${n(sy(v))}`);
    parts.push(`<path class="fit" clip-path="url(#${id}-plot)" d="${path.join("")}"/>`);
  }
  if (recommended !== undefined) parts.push(marker(recommended, sx, spec));
  parts.push(...points.map((p) => whisker(p, sx, sy)), ...points.map((p) => dot(p, sx, sy, spec)));
  parts.push("</svg>");
  return parts.filter((part) => part !== "").join("\n");
}

/** The legend entries that apply to a chart, for the page to print under it. */
export function legendEntries(spec: SvgChartSpec): { key: string; label: string }[] {
  const entries = [{ key: "measured", label: "measured median" }];
  if (spec.rangeLabel !== undefined) entries.push({ key: "range", label: spec.rangeLabel });
  if (spec.fitted !== undefined) entries.push({ key: "fit", label: spec.fitted.label });
  if (spec.points.some((p) => p.excluded)) entries.push({ key: "excluded", label: "excluded" });
  if (
    spec.recommendedMb !== undefined &&
    spec.points.some((p) => p.memoryMb === spec.recommendedMb)
  )
    entries.push({ key: "recommended", label: "recommended" });
  return entries;
}

function fittedCurve(spec: SvgChartSpec, from: number, to: number): [number, number][] {
  if (spec.fitted === undefined || to <= from) return [];
  const curve: [number, number][] = [];
  for (let i = 0; i <= CURVE_SAMPLES; i++) {
    const memoryMb = from + ((to - from) * i) / CURVE_SAMPLES;
    const value = spec.fitted.at(memoryMb);
    if (Number.isFinite(value)) curve.push([memoryMb, value]);
  }
  return curve;
}

/** Curve values that may widen the axis: a wild fit is clipped rather than squashing the data. */
function curveExtent(points: ChartPoint[], curve: [number, number][]): number[] {
  const values = points.flatMap((p) => [p.value, p.high ?? p.value]);
  const low = Math.min(...values);
  const high = Math.max(...values);
  const slack = (high - low || Math.abs(high) || 1) * 0.25;
  return curve.map(([, v]) => Math.min(Math.max(v, low - slack), high + slack));
}

function scale(axis: Axis, from: number, to: number): (value: number) => number {
  return (value) => from + ((value - axis.min) / (axis.max - axis.min)) * (to - from);
}

function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function describe(spec: SvgChartSpec, points: ChartPoint[]): string {
  const values = points.map((p) => `${p.memoryMb} MB ${spec.format(p.value)} ${spec.unit}`);
  const recommended =
    spec.recommendedMb === undefined ? "" : `; ${spec.recommendedMb} MB is recommended`;
  return `Measured at ${points.length} memory size${points.length === 1 ? "" : "s"}: ${values.join(", ")}${recommended}.`;
}

function grid(
  x: Axis,
  y: Axis,
  sx: (v: number) => number,
  sy: (v: number) => number,
  spec: SvgChartSpec,
): string {
  const lines: string[] = ['<g class="axes">'];
  for (const tick of y.ticks) {
    const at = n(sy(tick));
    lines.push(
      `<line class="grid" x1="${PLOT.left}" x2="${PLOT.right}" y1="${at}" y2="${at}"/>`,
      `<text class="tick-label" x="${PLOT.left - 8}" y="${at}" text-anchor="end" dominant-baseline="middle">${escapeHtml(spec.format(tick))}</text>`,
    );
  }
  for (const tick of x.ticks) {
    const at = n(sx(tick));
    lines.push(
      `<line class="tick" x1="${at}" x2="${at}" y1="${PLOT.bottom}" y2="${PLOT.bottom + 5}"/>`,
      `<text class="tick-label" x="${at}" y="${PLOT.bottom + 18}" text-anchor="middle">${tick}</text>`,
    );
  }
  lines.push(
    `<line class="axis" x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}"/>`,
    `<line class="axis" x1="${PLOT.left}" x2="${PLOT.left}" y1="${PLOT.top}" y2="${PLOT.bottom}"/>`,
    `<text class="axis-label" x="${(PLOT.left + PLOT.right) / 2}" y="${HEIGHT - 6}" text-anchor="middle">memory (MB)</text>`,
    `<text class="axis-label" x="4" y="${PLOT.top - 14}">${escapeHtml(spec.unit)}</text>`,
    "</g>",
  );
  return lines.join("\n");
}

function band(points: ChartPoint[], sx: (v: number) => number, sy: (v: number) => number): string {
  const ranged = points.filter((p) => p.high !== undefined && Number.isFinite(p.high));
  if (ranged.length < 2) return "";
  const top = ranged.map((p) => `${n(sx(p.memoryMb))},${n(sy(p.high!))}`);
  const bottom = ranged.map((p) => `${n(sx(p.memoryMb))},${n(sy(p.value))}`).reverse();
  return `<polygon class="band" points="${[...top, ...bottom].join(" ")}"/>`;
}

function whisker(p: ChartPoint, sx: (v: number) => number, sy: (v: number) => number): string {
  if (p.high === undefined || !Number.isFinite(p.high)) return "";
  const x = n(sx(p.memoryMb));
  const top = n(sy(p.high));
  return `<path class="whisker" d="M${x},${n(sy(p.value))}V${top}M${n(sx(p.memoryMb) - 5)},${top}h10"/>`;
}

function dot(
  p: ChartPoint,
  sx: (v: number) => number,
  sy: (v: number) => number,
  spec: SvgChartSpec,
): string {
  const recommended = p.memoryMb === spec.recommendedMb;
  const kind = recommended ? " recommended" : p.excluded ? " excluded" : "";
  const r = recommended ? 7 : 5;
  return `<circle class="point${kind}" data-memory-mb="${p.memoryMb}" cx="${n(sx(p.memoryMb))}" cy="${n(sy(p.value))}" r="${r}" tabindex="0"><title>${escapeHtml(p.tooltip)}</title></circle>`;
}

/** A dashed line through the recommended size, labelled at the top on whichever side has room. */
function marker(p: ChartPoint, sx: (v: number) => number, spec: SvgChartSpec): string {
  const x = sx(p.memoryMb);
  const rightHalf = x > (PLOT.left + PLOT.right) / 2;
  const label = `${p.memoryMb} MB recommended`;
  return [
    `<g class="recommended-marker">`,
    `<line x1="${n(x)}" x2="${n(x)}" y1="${PLOT.top}" y2="${PLOT.bottom}"/>`,
    `<text x="${n(rightHalf ? x - 6 : x + 6)}" y="${PLOT.top + 12}" text-anchor="${rightHalf ? "end" : "start"}">${escapeHtml(label)}</text>`,
    `<title>${escapeHtml(`${label} (${spec.format(p.value)} ${spec.unit})`)}</title>`,
    "</g>",
  ].join("");
}
