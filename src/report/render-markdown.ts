import type { Comparison } from "../document/comparison.js";
import type { Recommendation, ResultDocument, Tier } from "../document/result.js";
import { formatCount, formatDuration, formatPercent, formatUsd } from "../format.js";
import { codeSpan, escapeCell, markdownTable } from "./markdown.js";
import { renderComparisonMarkdown } from "./render-comparison.js";
import { coldStartLine, runnerUpLine } from "./render-summary.js";
import { callsText, errorsText, markOf, measuredCells, type TierMark } from "./render-table.js";
import { runtimeText } from "./runtime-text.js";

const HEAD = [
  "memory (MB)",
  "calls (warm+cold)",
  "median (ms)",
  "p95 (ms)",
  "per 1M (USD)",
  "cold call (ms+init)",
  "errors",
  "note",
];

/**
 * The result as GitHub-flavoured Markdown, for a CI job summary or a pull
 * request comment: the recommendation in one line, the sizes as a table, why,
 * warnings, and what changed since a baseline when a comparison is given.
 */
export function renderMarkdown(doc: ResultDocument, comparison?: Comparison): string {
  const rec = doc.recommendation;
  const sections = [
    `## lambda-tune: ${codeSpan(doc.function)}`,
    rec === null ? noRecommendation(doc) : recommendationLine(doc, rec),
    context(doc),
    doc.tiers.length === 0 ? "No memory size was measured." : sizesTable(doc),
  ];
  if (rec !== null) sections.push(why(doc, rec));
  const warnings = [
    ...doc.warnings,
    ...(rec?.warnings ?? []),
    ...doc.tiers.flatMap((t) =>
      t.warnings.map((w) => (w.startsWith(`${t.memoryMb} MB`) ? w : `${t.memoryMb} MB: ${w}`)),
    ),
  ];
  if (warnings.length > 0) {
    sections.push(`**Warnings**\n\n${warnings.map((w) => `- ${escapeCell(w)}`).join("\n")}`);
  }
  if (comparison !== undefined) sections.push(renderComparisonMarkdown(comparison, 3));
  return `${sections.join("\n\n")}\n`;
}

function recommendationLine(doc: ResultDocument, rec: Recommendation): string {
  const expected = `${formatUsd(rec.expectedCostPerInvocationUsd * 1e6)} per 1M invocations, ${formatDuration(rec.expectedDurationMs)} median`;
  const head = `**Recommended: ${rec.memoryMb} MB, timeout ${rec.timeoutSeconds} s** (strategy ${rec.strategy}): ${expected}`;
  const saving = savingVsCurrent(doc, rec);
  return saving === undefined ? `${head}.` : `${head}; ${saving}.`;
}

function savingVsCurrent(doc: ResultDocument, rec: Recommendation): string | undefined {
  const memoryMb = doc.current?.memoryMb;
  if (memoryMb === undefined) return undefined;
  if (memoryMb === rec.memoryMb)
    return `the current ${memoryMb} MB is already the recommended size`;
  const tier = doc.tiers.find((t) => t.memoryMb === memoryMb);
  if (tier === undefined) return `the current ${memoryMb} MB was not measured`;
  const saving = 1 - rec.expectedCostPerInvocationUsd / tier.costPerInvocationUsd;
  if (Math.abs(saving) < 0.0005) return `costs the same as the current ${memoryMb} MB`;
  return saving > 0
    ? `saves ${formatPercent(saving)} against the current ${memoryMb} MB`
    : `costs ${formatPercent(-saving)} more than the current ${memoryMb} MB`;
}

function noRecommendation(doc: ResultDocument): string {
  const excluded = doc.tiers.filter((t) => t.excluded !== undefined);
  const why =
    doc.tiers.length === 0
      ? "no memory size was measured"
      : excluded.length === doc.tiers.length
        ? "every measured size was excluded"
        : "no measured size met the strategy and its constraints";
  return `**No recommendation:** ${why}.`;
}

function context(doc: ResultDocument): string {
  const parts = [`${doc.target} target`];
  if (doc.runtime !== undefined) parts.push(runtimeText(doc.runtime));
  parts.push(doc.architecture, doc.region);
  if (doc.isolation !== undefined) parts.push(`isolation ${doc.isolation}`);
  const { invocations, usd } = doc.tuningCost;
  parts.push(`this sweep: ${formatCount(invocations, "invocation")}, ${formatUsd(usd)}`);
  return parts.join(" · ");
}

function sizesTable(doc: ResultDocument): string {
  const tiers = [...doc.tiers].sort((a, b) => a.memoryMb - b.memoryMb);
  const rows = tiers.map((t) => tierCells(t, markOf(doc, t), doc.recommendation));
  return markdownTable(HEAD, rows, [
    "right",
    "right",
    "right",
    "right",
    "right",
    "right",
    "left",
    "left",
  ]);
}

function tierCells(tier: Tier, mark: TierMark, rec: Recommendation | null): string[] {
  const notes: Record<TierMark, string> = {
    recommended: "◀ recommended",
    excluded: `✗ excluded: ${tier.excluded}`,
    "cold-only": "only a cold call: not compared",
    band: `≈ within ${formatPercent(rec?.band?.tolerance ?? 0)} of the cheapest`,
    none: "",
  };
  const [median, p95, , perMillion, coldCall] = measuredCells(tier);
  return [
    mark === "recommended" ? `**${tier.memoryMb}**` : String(tier.memoryMb),
    callsText(tier),
    median!,
    p95!,
    perMillion!,
    coldCall!,
    errorsText(tier),
    notes[mark],
  ];
}

function why(doc: ResultDocument, rec: Recommendation): string {
  const lines = [`**Why:** ${escapeCell(rec.reason)}`];
  const runnerUp = runnerUpLine(doc, rec);
  if (runnerUp !== undefined)
    lines.push(
      `**Runner-up:** ${escapeCell(runnerUp.replace(/^(runner-up|confidence: runner-up) /, ""))}`,
    );
  const cold = coldStartLine(rec);
  if (cold !== undefined)
    lines.push(`**Cold starts:** ${escapeCell(cold.replace(/^cold starts: /, ""))}`);
  if (rec.timeoutReason !== "") lines.push(`**Timeout:** ${escapeCell(rec.timeoutReason)}`);
  // Two trailing spaces would be invisible; separate paragraphs read the same in GFM.
  return lines.join("\n\n");
}
