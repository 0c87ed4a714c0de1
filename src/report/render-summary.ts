import type { ModelFit, Recommendation, ResultDocument, Tier } from "../document/result.js";
import {
  formatCount,
  formatDuration,
  formatMb,
  formatMs,
  formatPercent,
  formatSignedPercent,
  formatSignificant,
  formatUsd,
} from "../format.js";
import { paint } from "./ansi.js";
import { wrapText } from "./wrap-text.js";

export interface SummaryOptions {
  color: boolean;
  /** Terminal columns; longer sentences wrap with a hanging indent. */
  width: number;
  /** The detail behind the recommendation (band, timeout, expected figures, model), not only its paragraph. */
  verbose?: boolean;
}

const INDENT = "  ";

/**
 * The recommendation as a short paragraph (why, the runner-up, cold starts,
 * the current configuration), the sweep's cost and warnings; with `verbose`
 * also the band, expected figures, the timeout's derivation and the model.
 */
export function renderSummary(doc: ResultDocument, options: SummaryOptions): string {
  const { color, width } = options;
  const wrap = (text: string, indent = "") => wrapText(text, width, indent, `${indent}  `);
  const lines =
    doc.recommendation === null
      ? noRecommendation(doc, options)
      : recommendationLines(doc, doc.recommendation, options);
  lines.push("");
  if (options.verbose) lines.push(...wrap(modelLine(doc.model)));
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
  const runnerUp = runnerUpLine(doc, rec);
  if (runnerUp !== undefined) lines.push(...wrap(runnerUp));
  const cold = coldStartLine(rec);
  if (cold !== undefined) lines.push(...wrap(cold));
  if (options.verbose) {
    const expected = `${formatDuration(rec.expectedDurationMs)} median, ${formatUsd(rec.expectedCostPerInvocationUsd * 1e6)} per 1M invocations`;
    lines.push(...wrap(`expected: ${expected}`));
    const band = bandLine(rec);
    if (band !== undefined) lines.push(...wrap(band));
    if (rec.coldStarts !== undefined)
      lines.push(...wrap(`cold-start rate from ${rec.coldStarts.source}`));
    if (rec.timeoutReason !== "") lines.push(...wrap(`timeout: ${rec.timeoutReason}`));
  }
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

/** Warm calls, or cold ones when every call was cold (`--cold`). */
function callsWord(rec: Recommendation): string {
  return rec.coldStarts?.rate === 1 ? "cold calls" : "warm calls";
}

/** How the user gets more calls per size in this plan's terms. */
function moreCallsWords(doc: ResultDocument): string {
  return doc.plan.budget !== null ? "a larger --budget gives them" : "a larger -n gives them";
}

/**
 * The runner-up, its difference and, from 3 calls at each size, the interval;
 * stated once. With fewer calls: not enough calls to compare, and what to do.
 * Older results without `runnerUp` get their `confidence` line.
 */
export function runnerUpLine(doc: ResultDocument, rec: Recommendation): string | undefined {
  const runnerUp = rec.runnerUp;
  if (runnerUp === undefined) return rec.confidence === undefined ? undefined : confidenceLine(rec);
  const base = rec.expectedCostPerInvocationUsd;
  const relative = runnerUp.costDifference / base;
  const difference =
    relative >= 0 ? `${formatPercent(relative)} dearer` : `${formatPercent(-relative)} cheaper`;
  const [mine, theirs] = runnerUp.warmCalls;
  const calls = `${mine} and ${theirs} ${callsWord(rec)}`;
  const head = `runner-up ${formatMb(runnerUp.memoryMb)} MB: ${difference}`;
  const { confidence } = rec;
  if (runnerUp.enoughCalls && confidence !== undefined) {
    const [low, high] = confidence.interval;
    const interval = `${formatPercent(confidence.level)} interval ${formatSignedPercent(low / base)} to ${formatSignedPercent(high / base)}`;
    return `${head} (${interval}, from ${calls})`;
  }
  return `${head} by ${calls}: not enough calls to compare (an interval needs 3 at each; ${moreCallsWords(doc)})`;
}

/** What production's cold starts did to the pick, when a rate was given. */
export function coldStartLine(rec: Recommendation): string | undefined {
  const cold = rec.coldStarts;
  if (cold === undefined) return undefined;
  const rate = formatPercent(cold.rate);
  const billed = cold.billInit ? "Init billed" : "Init not billed";
  if (cold.rate === 1) {
    return `every call cold (${cold.source}): sizes compared by their cold calls, ${billed}`;
  }
  const at = `cold starts: at a ${rate} cold-start rate (${billed})`;
  if (cold.steadyStateMemoryMb === null) {
    return `${at} the pick is ${formatMb(rec.memoryMb)} MB; warm calls alone pick none`;
  }
  if (!cold.changesPick) return `${at} the pick is the same as from warm calls alone`;
  return `${at} the pick moves from ${formatMb(cold.steadyStateMemoryMb)} MB (warm calls alone) to ${formatMb(rec.memoryMb)} MB`;
}

/** The band in full (verbose): its sizes, the cheapest, and how finely costs were resolved. */
export function bandLine(rec: Recommendation): string | undefined {
  const band = rec.band;
  if (band === undefined) return undefined;
  const sizes = band.sizes.map(formatMb).join(", ");
  return (
    `band: ${sizes} MB within ${formatPercent(band.tolerance)} of the cheapest ` +
    `(${formatMb(band.cheapestMemoryMb)} MB); costs resolved to ±${formatPercent(band.resolution)}`
  );
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
