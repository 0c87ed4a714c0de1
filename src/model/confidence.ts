import type { Recommendation } from "../document/result.js";
import { formatPercent, formatSignedPercent } from "../format.js";
import type { ReportRecord } from "../logs/record.js";
import { steadyStateCosts } from "./cost.js";
import type { Pricing } from "./pricing.js";

export const BOOTSTRAP_ROUNDS = 2000;
export const CONFIDENCE_LEVEL = 0.95;

/** Per-invocation steady-state costs at one size, as the tiers decide. */
function costsAt(records: readonly ReportRecord[], memoryMb: number, pricing: Pricing): number[] {
  return steadyStateCosts(
    records.filter((r) => r.memorySizeMB === memoryMb),
    pricing,
  );
}

function resampledMean(values: readonly number[], random: () => number): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[Math.floor(random() * values.length)]!;
  return sum / values.length;
}

function quantileSorted(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

/**
 * Replaces the normal-approximation interval on the cost difference to the
 * runner-up with a bootstrap one (percentile method over resampled
 * invocations of both sizes): with a handful of calls per size and skewed
 * durations, the normal interval is too narrow. Says in the reason how often
 * the recommended size stayed the cheaper of the two. `random` is seeded by
 * the caller, so the same run gives the same interval.
 */
export function withBootstrapConfidence(
  recommendation: Recommendation,
  records: readonly ReportRecord[],
  pricing: Pricing,
  random: () => number,
  rounds = BOOTSTRAP_ROUNDS,
): Recommendation {
  const runnerUpMb = recommendation.confidence?.runnerUpMemoryMb;
  if (runnerUpMb === undefined) return recommendation;
  const winner = costsAt(records, recommendation.memoryMb, pricing);
  const runnerUp = costsAt(records, runnerUpMb, pricing);
  if (winner.length === 0 || runnerUp.length === 0) return recommendation;
  const differences: number[] = [];
  let winnerCheaper = 0;
  for (let i = 0; i < rounds; i++) {
    const difference = resampledMean(runnerUp, random) - resampledMean(winner, random);
    differences.push(difference);
    if (difference > 0) winnerCheaper++;
  }
  differences.sort((a, b) => a - b);
  const tail = (1 - CONFIDENCE_LEVEL) / 2;
  const interval: [number, number] = [
    quantileSorted(differences, tail),
    quantileSorted(differences, 1 - tail),
  ];
  const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const base = mean(winner);
  const share = winnerCheaper / rounds;
  const sentence =
    `${runnerUpMb} MB, the runner-up, costs ${formatSignedPercent(interval[0] / base)} to ` +
    `${formatSignedPercent(interval[1] / base)} more (${CONFIDENCE_LEVEL * 100}% bootstrap interval ` +
    `over ${winner.length} and ${runnerUp.length} calls); ${recommendation.memoryMb} MB was the cheaper ` +
    `in ${formatPercent(share)} of resamples`;
  return {
    ...recommendation,
    reason: `${recommendation.reason}; ${sentence}`,
    confidence: {
      runnerUpMemoryMb: runnerUpMb,
      costDifference: mean(runnerUp) - base,
      interval,
      level: CONFIDENCE_LEVEL,
    },
  };
}
