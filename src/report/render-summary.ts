import type { ModelFit, Recommendation, ResultDocument, Tier } from "../document/result.js";
import {
  formatCount,
  formatDuration,
  formatMs,
  formatPercent,
  formatSignificant,
  formatUsd,
} from "../format.js";
import { paint } from "./ansi.js";
import { wrapText } from "./wrap-text.js";

export interface SummaryOptions {
  color: boolean;
  /** Terminal columns; longer sentences wrap with a hanging indent. */
  width: number;
}

const INDENT = "  ";

/** The recommendation in words, the comparison with the current configuration, model, sweep cost and warnings. */
export function renderSummary(doc: ResultDocument, options: SummaryOptions): string {
  const { color, width } = options;
  const wrap = (text: string, indent = "") => wrapText(text, width, indent, `${indent}  `);
  const lines =
    doc.recommendation === null
      ? noRecommendation(doc, options)
      : recommendationLines(doc, doc.recommendation, options);
  lines.push("", ...wrap(modelLine(doc.model)));
  const { invocations, usd } = doc.tuningCost;
  // A result judged from logs (analyze) invoked nothing: it has no sweep to speak of.
  if (invocations > 0) {
    lines.push(...wrap(`this sweep: ${formatCount(invocations, "invocation")}, ${formatUsd(usd)}`));
  }
  if (doc.warnings.length > 0) {
    lines.push(paint("warnings:", "yellow", color));
    for (const warning of doc.warnings) lines.push(...wrap(`- ${warning}`, INDENT));
  }
  return lines.join("\n");
}

function recommendationLines(
  doc: ResultDocument,
  rec: Recommendation,
  options: SummaryOptions,
): string[] {
  const { color, width } = options;
  const wrap = (text: string) => wrapText(text, width, INDENT, `${INDENT}  `);
  const size = paint(`${rec.memoryMb} MB`, "green", color);
  const head = `${paint("Recommended:", "bold", color)} ${size}, timeout ${rec.timeoutSeconds} s (strategy ${rec.strategy})`;
  const lines = [head, ...wrap(rec.reason)];
  const expected = `${formatDuration(rec.expectedDurationMs)} median, ${formatUsd(rec.expectedCostPerInvocationUsd * 1e6)} per 1M invocations`;
  lines.push(...wrap(`expected: ${expected}`));
  if (rec.confidence !== undefined) lines.push(...wrap(confidenceLine(rec)));
  if (rec.timeoutReason !== "") lines.push(...wrap(`timeout: ${rec.timeoutReason}`));
  lines.push(...currentLines(doc, rec).flatMap(wrap));
  for (const warning of rec.warnings) lines.push(...wrap(paint(`! ${warning}`, "yellow", color)));
  return lines;
}

export function currentLines(doc: ResultDocument, rec: Recommendation): string[] {
  const lines: string[] = [];
  const memoryMb = doc.current?.memoryMb;
  if (memoryMb !== undefined) {
    const tier = doc.tiers.find((t) => t.memoryMb === memoryMb);
    if (memoryMb === rec.memoryMb) {
      lines.push(`current ${memoryMb} MB is already the recommended size`);
    } else if (tier === undefined) {
      lines.push(`current ${memoryMb} MB was not measured, so there is nothing to compare with`);
    } else {
      lines.push(`${currentMeasured(tier)} → recommended ${comparison(tier, rec)}`);
    }
  }
  const timeout = doc.current?.timeoutSeconds;
  if (timeout !== undefined) {
    lines.push(
      timeout === rec.timeoutSeconds
        ? `current timeout ${timeout} s is kept`
        : `current timeout ${timeout} s → recommended ${rec.timeoutSeconds} s`,
    );
  }
  return lines;
}

function currentMeasured(tier: Tier): string {
  const excluded = tier.excluded === undefined ? "" : ` (excluded: ${tier.excluded})`;
  return `current ${tier.memoryMb} MB: ${formatUsd(tier.costPerMillionUsd)} per 1M, ${formatMs(tier.durationMs.median)} ms median${excluded}`;
}

function comparison(current: Tier, rec: Recommendation): string {
  const saving = 1 - rec.expectedCostPerInvocationUsd / current.costPerInvocationUsd;
  const cost =
    Math.abs(saving) < 0.0005
      ? "costs the same"
      : saving > 0
        ? `saves ${formatPercent(saving)}`
        : `costs ${formatPercent(-saving)} more`;
  const speedup = current.durationMs.median / rec.expectedDurationMs;
  const speed =
    !Number.isFinite(speedup) || Math.abs(speedup - 1) < 0.05
      ? "runs as fast"
      : speedup > 1
        ? `runs ${formatSignificant(speedup)}x faster`
        : `runs ${formatSignificant(1 / speedup)}x slower`;
  return `${cost} and ${speed}`;
}

function noRecommendation(doc: ResultDocument, { color, width }: SummaryOptions): string[] {
  const head = paint("No recommendation:", "bold", color);
  const excluded = doc.tiers.filter((t) => t.excluded !== undefined);
  let why: string;
  if (doc.tiers.length === 0) why = "no memory size was measured.";
  else if (excluded.length === doc.tiers.length) why = "every measured size was excluded.";
  else why = "no measured size met the strategy and its constraints.";
  const lines = wrapText(`${head} ${paint(why, "yellow", color)}`, width, "", INDENT);
  for (const tier of excluded) {
    lines.push(...wrapText(`${tier.memoryMb} MB: ${tier.excluded}`, width, INDENT, `${INDENT}  `));
  }
  const memoryMb = doc.current?.memoryMb;
  const current = doc.tiers.find((t) => t.memoryMb === memoryMb);
  if (current !== undefined)
    lines.push(...wrapText(currentMeasured(current), width, INDENT, `${INDENT}  `));
  return lines;
}

export function modelLine(model: ModelFit | null): string {
  if (model === null) return "duration model: none fitted";
  const parameters = Object.entries(model.parameters)
    .map(([name, value]) => `${name}=${formatSignificant(value)}`)
    .join(", ");
  const others = model.candidates
    .filter((c) => c.name !== model.name)
    .map((c) => `${c.name} ${formatPercent(c.error)}`);
  const fitted = parameters === "" ? "" : ` with ${parameters}`;
  const tried = others.length === 0 ? "" : ` (also tried: ${others.join(", ")})`;
  return `duration model: ${model.name} ${prettyFormula(model.formula)}${fitted}, held-out error ${formatPercent(model.error)}${tried}`;
}

/** `a0 + a1*exp(-m/a2)` -> `a0 + a1·e^(−m/a2)`. */
export function prettyFormula(formula: string): string {
  return formula
    .replace(/\s*\*\s*/g, "·")
    .replace(/\bexp\(/g, "e^(")
    .replace(/-(?=[a-z(])/g, "−");
}

/** The runner-up's cost difference (USD per invocation) as a percentage and per 1M, with its interval. */
export function confidenceLine(rec: Recommendation): string {
  const { runnerUpMemoryMb, costDifference, interval, level } = rec.confidence!;
  const relative = costDifference / rec.expectedCostPerInvocationUsd;
  const perMillion = (usd: number) => signedUsd(usd * 1e6);
  const range = `${formatPercent(level)} interval ${perMillion(interval[0])} to ${perMillion(interval[1])}`;
  return `confidence: runner-up ${runnerUpMemoryMb} MB costs ${moreOrLess(relative)} (${perMillion(costDifference)} per 1M; ${range})`;
}

function moreOrLess(fraction: number): string {
  return fraction >= 0 ? `${formatPercent(fraction)} more` : `${formatPercent(-fraction)} less`;
}

function signedUsd(usd: number): string {
  return usd > 0 ? `+${formatUsd(usd)}` : formatUsd(usd);
}
