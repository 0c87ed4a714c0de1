import type { Recommendation, ResultDocument } from "../document/result.js";
import { formatCount, formatDuration, formatUsd } from "../format.js";
import { htmlCharts } from "./html-charts.js";
import { escapeHtml } from "./html-escape.js";
import { HTML_STYLE } from "./html-style.js";
import { htmlTable } from "./html-table.js";
import {
  bandLine,
  coldStartLine,
  currentLines,
  modelLine,
  runnerUpLine,
} from "./render-summary.js";
import { runtimeText } from "./runtime-text.js";

export interface HtmlOptions {
  /** The fitted model's median duration (ms) at a memory size, drawn over the measurements. */
  predict?: (memoryMb: number) => number;
}

// Nothing may load from elsewhere: the file must read the same offline, archived or attached.
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

/** One self-contained HTML page: no scripts, fonts or images to fetch; the charts are inline SVG. */
export function renderHtml(doc: ResultDocument, options: HtmlOptions = {}): string {
  const title = `lambda-tune: ${doc.function}`;
  const body = [
    header(doc),
    doc.recommendation === null ? noRecommendation(doc) : recommendation(doc, doc.recommendation),
    isolationNote(doc),
    section("Duration and cost by memory", htmlCharts(doc, options.predict)),
    section("Measurements", htmlTable(doc)),
    section("Model and cost of this run", details(doc)),
    warnings(doc),
    footer(doc),
  ];
  return [
    "<!doctype html>",
    `<html lang="en">`,
    "<head>",
    `<meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    `<meta name="color-scheme" content="light dark">`,
    `<meta name="generator" content="lambda-tune ${escapeHtml(doc.tool.version)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${HTML_STYLE}</style>`,
    "</head>",
    "<body>",
    "<main>",
    ...body.filter((part) => part !== ""),
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

function section(heading: string, content: string): string {
  if (content === "") return "";
  return `<section>\n<h2>${escapeHtml(heading)}</h2>\n${content}\n</section>`;
}

function paragraph(text: string, className?: string): string {
  return `<p${className === undefined ? "" : ` class="${className}"`}>${escapeHtml(text)}</p>`;
}

function header(doc: ResultDocument): string {
  const meta = [`${doc.target} target`];
  if (doc.runtime !== undefined) meta.push(runtimeText(doc.runtime));
  meta.push(doc.architecture, doc.region);
  if (doc.isolation !== undefined) meta.push(`isolation ${doc.isolation}`);
  meta.push(`generated ${doc.generatedAt}`);
  const spans = meta.map((m) => `<span>${escapeHtml(m)}</span>`).join("");
  return `<header>\n<h1>${escapeHtml(doc.function)}</h1>\n<p class="meta">${spans}</p>\n</header>`;
}

function recommendation(doc: ResultDocument, rec: Recommendation): string {
  const expected = `${formatDuration(rec.expectedDurationMs)} median, ${formatUsd(rec.expectedCostPerInvocationUsd * 1e6)} per 1M invocations`;
  const lines = [
    `<p class="headline">Recommended: <span class="size">${rec.memoryMb} MB</span>, timeout <strong>${rec.timeoutSeconds} s</strong> <span class="label">(strategy ${escapeHtml(rec.strategy)})</span></p>`,
    paragraph(rec.reason),
    labelled("expected", expected),
  ];
  const runnerUp = runnerUpLine(doc, rec);
  if (runnerUp !== undefined) {
    lines.push(labelled("runner-up", runnerUp.replace(/^(confidence: )?runner-up /, "")));
  }
  const cold = coldStartLine(rec);
  if (cold !== undefined) lines.push(labelled("cold starts", cold.replace(/^cold starts: /, "")));
  const band = bandLine(rec);
  if (band !== undefined) lines.push(labelled("band", band.replace(/^band: /, "")));
  if (rec.timeoutReason !== "") lines.push(labelled("timeout", rec.timeoutReason));
  lines.push(...currentLines(doc, rec).map((line) => paragraph(line)));
  if (rec.warnings.length > 0) lines.push(list(rec.warnings));
  return `<section class="callout recommendation" aria-label="Recommendation">\n${lines.join("\n")}\n</section>`;
}

function labelled(label: string, text: string): string {
  return `<p><span class="label">${escapeHtml(label)}:</span> ${escapeHtml(text)}</p>`;
}

function list(items: readonly string[]): string {
  return `<ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join("")}</ul>`;
}

function noRecommendation(doc: ResultDocument): string {
  const excluded = doc.tiers.filter((t) => t.excluded !== undefined);
  let why: string;
  if (doc.tiers.length === 0) why = "no memory size was measured.";
  else if (excluded.length === doc.tiers.length) why = "every measured size was excluded.";
  else why = "no measured size met the strategy and its constraints.";
  const reasons = excluded.map((t) => `${t.memoryMb} MB: ${t.excluded}`);
  return [
    `<section class="callout none" aria-label="Recommendation">`,
    `<p class="headline"><strong>No recommendation:</strong> ${escapeHtml(why)}</p>`,
    reasons.length === 0 ? "" : list(reasons),
    "</section>",
  ]
    .filter((line) => line !== "")
    .join("\n");
}

function isolationNote(doc: ResultDocument): string {
  if (doc.isolation !== "none") return "";
  return paragraph(
    "Isolation none: CPU and memory were not limited, so durations do not reflect memory size.",
    "callout isolation-none",
  );
}

function details(doc: ResultDocument): string {
  const { invocations, usd } = doc.tuningCost;
  const { pricePerGbSecondUsd, pricePerRequestUsd, source } = doc.pricing;
  const plan =
    doc.plan.budget !== null
      ? `adaptive under a budget of ${doc.plan.budget} invocations`
      : `${doc.plan.invocationsPerSize ?? "?"} invocations at each of ${doc.plan.sizes.length} sizes`;
  return `<div class="details">\n${[
    paragraph(modelLine(doc.model)),
    paragraph(`this sweep: ${formatCount(invocations, "invocation")}, ${formatUsd(usd)}`),
    paragraph(`plan: ${plan}, seed ${doc.plan.seed}`),
    paragraph(
      `pricing: ${plainUsd(pricePerGbSecondUsd)} per GB-second, ${plainUsd(pricePerRequestUsd)} per request (${source})`,
    ),
  ].join("\n")}\n</div>`;
}

/** A price as written in price lists, without exponent notation: 2e-7 -> "$0.0000002". */
function plainUsd(usd: number): string {
  const text = usd.toFixed(12).replace(/\.?0+$/, "");
  return `$${text}`;
}

function warnings(doc: ResultDocument): string {
  if (doc.warnings.length === 0) return "";
  return `<section class="callout warnings" aria-label="Warnings">\n<p><strong>Warnings</strong></p>\n${list(doc.warnings)}\n</section>`;
}

function footer(doc: ResultDocument): string {
  return `<footer>${escapeHtml(`Generated by ${doc.tool.name} ${doc.tool.version} from a result document of schema version ${doc.schemaVersion}.`)}</footer>`;
}
