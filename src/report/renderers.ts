import { resultJson } from "../document/canonical.js";
import type { Comparison } from "../document/comparison.js";
import type { ResultDocument } from "../document/result.js";
import { renderCharts } from "./render-chart.js";
import { renderHtml } from "./render-html.js";
import { renderMarkdown } from "./render-markdown.js";
import { renderSummary } from "./render-summary.js";
import { renderTable } from "./render-table.js";

export interface RenderOptions {
  /** Emit ANSI colors; the CLI decides from NO_COLOR, the TTY and flags. */
  color: boolean;
  /** Terminal columns. */
  width: number;
  /** Rows of each chart. */
  height?: number;
  /** The fitted model as a function of memory (MB), to draw its curve; from src/model. */
  predict?: (memoryMb: number) => number;
  /** A comparison with a baseline result (`--baseline`); the markdown output shows what changed. */
  comparison?: Comparison;
  /** The detail behind the recommendation (`--verbose`); the JSON always has it. */
  verbose?: boolean;
}

export type Renderer = (doc: ResultDocument, options: RenderOptions) => string;

/** Output formats by name; adding one touches only this map. Every output ends with a newline. */
export const renderers = {
  table: renderHuman,
  json: renderJson,
  markdown: (doc, options) => renderMarkdown(doc, options.comparison),
  html: renderHtmlPage,
} satisfies Record<string, Renderer>;

export type OutputFormat = keyof typeof renderers;

export function isOutputFormat(name: string): name is OutputFormat {
  return Object.hasOwn(renderers, name);
}

export function renderResult(
  doc: ResultDocument,
  format: OutputFormat,
  options: RenderOptions,
): string {
  return renderers[format](doc, options);
}

/** Table, charts and the recommendation in words, for a terminal. */
function renderHuman(doc: ResultDocument, options: RenderOptions): string {
  const sections = [
    renderTable(doc, options),
    renderCharts(doc, options),
    renderSummary(doc, options),
  ];
  return `${sections.filter((section) => section !== "").join("\n\n")}\n`;
}

/** A self-contained HTML page for a browser, an artifact or a printer; color and width do not apply. */
function renderHtmlPage(doc: ResultDocument, options: RenderOptions): string {
  return renderHtml(doc, options.predict === undefined ? {} : { predict: options.predict });
}

/** The document alone, keys in the schema's order; a comparison goes to its own output. */
function renderJson(doc: ResultDocument): string {
  return resultJson(doc);
}
