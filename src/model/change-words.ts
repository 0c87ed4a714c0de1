import type { Change, RecommendationChange } from "../document/comparison.js";
import type { ResultDocument } from "../document/result.js";
import { formatPercent, formatSignedPercent } from "../format.js";
import { COMPARISON_LEVEL } from "./change.js";

/** "95% interval +3.1% to +9.8%", or "too few calls for an interval". */
export function relativeRange(change: Change): string {
  if (change.relativeInterval === null) return "too few calls for an interval";
  const [low, high] = change.relativeInterval;
  return `${formatPercent(COMPARISON_LEVEL)} interval ${formatSignedPercent(low)} to ${formatSignedPercent(high)}`;
}

type Moved = Omit<RecommendationChange, "summary">;

/** What happened to the recommendation, in one sentence. */
export function recommendationSummary(change: Moved, current: ResultDocument): string {
  const { baseline: before, current: now } = change;
  if (before === null && now === null) return "neither run could recommend a size";
  if (before === null) return `the baseline recommended no size; now ${now!.memoryMb} MB`;
  if (now === null) {
    return `the baseline recommended ${before.memoryMb} MB; now no size can be recommended`;
  }
  const timeout = change.timeoutChanged
    ? `timeout ${before.timeoutSeconds} s → ${now.timeoutSeconds} s`
    : `timeout ${now.timeoutSeconds} s`;
  if (!change.moved) return `unchanged at ${now.memoryMb} MB, ${timeout}`;
  const head = `moved from ${before.memoryMb} MB to ${now.memoryMb} MB, ${timeout}`;
  const excluded = current.tiers.find((t) => t.memoryMb === before.memoryMb)?.excluded;
  if (excluded !== undefined) return `${head}; ${before.memoryMb} MB is now excluded: ${excluded}`;
  const cost = change.cost;
  if (cost === null) return head;
  const where = cost.basis === "this run" ? "in this run" : "across the two runs";
  const noise =
    cost.verdict === "increase" || cost.verdict === "decrease"
      ? "beyond noise"
      : cost.verdict === "within-noise"
        ? "within noise"
        : "too few calls to tell";
  const relation =
    cost.relative === 0
      ? `costs the same as ${before.memoryMb} MB`
      : `costs ${formatPercent(Math.abs(cost.relative))} ${cost.relative < 0 ? "less" : "more"} than ${before.memoryMb} MB`;
  return `${head}; ${where} ${now.memoryMb} MB ${relation} (${relativeRange(cost)}), ${noise}`;
}
