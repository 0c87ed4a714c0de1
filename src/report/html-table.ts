import type { ResultDocument, Tier } from "../document/result.js";
import { escapeHtml } from "./html-escape.js";
import { errorsText, measuredCells } from "./render-table.js";

// The terminal table's columns (render-table.ts), one header cell each.
const HEAD = [
  "memory MB",
  "calls",
  "median ms",
  "p95 ms",
  "billed mean ms",
  "max used MB",
  "per 1M USD",
  "cold starts (mean init)",
  "errors",
];

/** One row per measured size, the recommended and excluded ones marked, then notes on them. */
export function htmlTable(doc: ResultDocument): string {
  const tiers = [...doc.tiers].sort((a, b) => a.memoryMb - b.memoryMb);
  if (tiers.length === 0) return `<p class="empty">No memory size was measured.</p>`;
  const recommended = doc.recommendation?.memoryMb;
  const head = HEAD.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("");
  const rows = tiers.map((tier) => row(tier, tier.memoryMb === recommended));
  const table = [
    `<div class="table-wrap"><table class="tiers">`,
    `<caption>Measured memory sizes</caption>`,
    `<thead><tr>${head}</tr></thead>`,
    `<tbody>\n${rows.join("\n")}\n</tbody>`,
    "</table></div>",
  ].join("\n");
  const notes = tierNotes(tiers);
  return notes === "" ? table : `${table}\n${notes}`;
}

function row(tier: Tier, recommended: boolean): string {
  const mark = recommended
    ? ` <span class="badge badge-recommended">◀ recommended</span>`
    : tier.excluded !== undefined
      ? ` <span class="badge badge-excluded" title="${escapeHtml(tier.excluded)}">✗ excluded</span>`
      : "";
  const cells = measuredCells(tier).map((text) => `<td>${escapeHtml(text)}</td>`);
  const errors = `<td class="${tier.errors > 0 ? "errors" : "text"}">${escapeHtml(errorsText(tier))}</td>`;
  const kind = recommended ? "recommended" : tier.excluded !== undefined ? "excluded" : "";
  return [
    `<tr${kind === "" ? "" : ` class="${kind}"`} data-memory-mb="${tier.memoryMb}">`,
    `<th scope="row">${tier.memoryMb}${mark}</th>`,
    `<td>${tier.invocations}</td>`,
    ...cells,
    errors,
    "</tr>",
  ].join("");
}

function tierNotes(tiers: Tier[]): string {
  const notes: string[] = [];
  for (const tier of tiers) {
    const size = `${tier.memoryMb} MB`;
    if (tier.excluded !== undefined) notes.push(`✗ ${size} excluded: ${tier.excluded}`);
    for (const warning of tier.warnings) {
      notes.push(`! ${warning.startsWith(size) ? warning : `${size}: ${warning}`}`);
    }
  }
  if (notes.length === 0) return "";
  return `<ul class="notes">${notes.map((note) => `<li>${escapeHtml(note)}</li>`).join("")}</ul>`;
}
