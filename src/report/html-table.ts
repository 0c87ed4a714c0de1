import type { ResultDocument, Tier } from "../document/result.js";
import { escapeHtml } from "./html-escape.js";
import { callsText, errorsText, markOf, measuredCells, type TierMark } from "./render-table.js";

// The terminal table's columns (render-table.ts), one header cell each.
const HEAD = [
  "memory MB",
  "calls warm+cold",
  "median ms",
  "p95 ms",
  "max used MB",
  "per 1M USD",
  "cold call ms+init",
  "init cost /1M cold",
  "errors",
];

const BADGES: Record<TierMark, string> = {
  recommended: `<span class="badge badge-recommended">◀ recommended</span>`,
  excluded: "",
  "cold-only": `<span class="badge badge-excluded" title="only a cold call: not compared">* cold only</span>`,
  band: `<span class="badge" title="within the tie tolerance of the cheapest">≈ same cost</span>`,
  none: "",
};

/** One row per measured size, the recommended and excluded ones marked, then notes on them. */
export function htmlTable(doc: ResultDocument): string {
  const tiers = [...doc.tiers].sort((a, b) => a.memoryMb - b.memoryMb);
  if (tiers.length === 0) return `<p class="empty">No memory size was measured.</p>`;
  const head = HEAD.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("");
  const rows = tiers.map((tier) => row(tier, markOf(doc, tier)));
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

function row(tier: Tier, kind: TierMark): string {
  const badge =
    kind === "excluded"
      ? `<span class="badge badge-excluded" title="${escapeHtml(tier.excluded ?? "")}">✗ excluded</span>`
      : BADGES[kind];
  const mark = badge === "" ? "" : ` ${badge}`;
  const cells = measuredCells(tier).map((text) => `<td>${escapeHtml(text)}</td>`);
  const errors = `<td class="${tier.errors > 0 ? "errors" : "text"}">${escapeHtml(errorsText(tier))}</td>`;
  const rowClass =
    kind === "recommended"
      ? "recommended"
      : kind === "excluded" || kind === "cold-only"
        ? "excluded"
        : "";
  return [
    `<tr${rowClass === "" ? "" : ` class="${rowClass}"`} data-memory-mb="${tier.memoryMb}">`,
    `<th scope="row">${tier.memoryMb}${mark}</th>`,
    `<td>${callsText(tier)}</td>`,
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
