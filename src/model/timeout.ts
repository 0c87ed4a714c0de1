import type { Distribution, Tier } from "../document/result.js";
import { formatCount, formatDuration } from "../format.js";
import { MAX_TIMEOUT_SECONDS, MIN_TIMEOUT_SECONDS } from "../lambda.js";
import { chiSquareQuantile, normalQuantile, studentTQuantile } from "./quantiles.js";

/** The timeout must hold for all but this share of future invocations. */
export const TIMEOUT_EXCEEDANCE = 0.001;
/** Confidence that the bound on the p99.9 duration is not below the true one. */
export const TIMEOUT_CONFIDENCE = 0.95;

/**
 * A weak prior on the spread of ln(duration), ~10% as between calls of one
 * function on real Lambda (fixtures/recordings), so a handful of near-equal
 * calls does not promise a tight tail. Worth two calls' evidence.
 */
const PRIOR_LOG_SPREAD = 0.1;
const PRIOR_DEGREES = 2;
/** At most this many degrees of freedom borrowed from the other sizes: their spread is only similar. */
const MAX_POOLED_DEGREES = 10;

export interface TimeoutAdvice {
  timeoutSeconds: number;
  /** The bound before rounding: duration tail plus init, in ms. */
  boundMs: number;
  reason: string;
  warnings: string[];
}

/** Spread of ln(duration) of a log-normal with the sample's mean and standard deviation. */
function logSpread(d: Distribution): number {
  const cv = d.mean > 0 ? d.stdDev / d.mean : 0;
  return Math.sqrt(Math.log(1 + cv * cv));
}

/** Squares and degrees of freedom of ln(duration) at the sizes other than `tier`. */
function pooledElsewhere(
  tier: Tier,
  allTiers: readonly Tier[],
): { squares: number; degrees: number } {
  let squares = 0;
  let degrees = 0;
  for (const other of allTiers) {
    if (other.memoryMb === tier.memoryMb || other.durationMs.count < 2) continue;
    squares += (other.durationMs.count - 1) * logSpread(other.durationMs) ** 2;
    degrees += other.durationMs.count - 1;
  }
  if (degrees <= MAX_POOLED_DEGREES) return { squares, degrees };
  return { squares: (squares * MAX_POOLED_DEGREES) / degrees, degrees: MAX_POOLED_DEGREES };
}

/**
 * An upper confidence bound on the p99.9 duration at `tier`: a log-normal
 * whose ln-spread combines the tier's own calls, the other sizes' (capped)
 * and the prior, with the small-sample inflation of both the spread
 * (chi-square) and the centre (t); where the largest call shows a tail
 * heavier than log-normal, an exponential tail above the median fitted to
 * it (exceedances over the median, gamma bound on the scale) when longer.
 */
export function tailBoundMs(tier: Tier, allTiers: readonly Tier[]): number {
  const d = tier.durationMs;
  const n = d.count;
  const elsewhere = pooledElsewhere(tier, allTiers);
  const degrees = n - 1 + elsewhere.degrees + PRIOR_DEGREES;
  const variance =
    ((n - 1) * logSpread(d) ** 2 + elsewhere.squares + PRIOR_DEGREES * PRIOR_LOG_SPREAD ** 2) /
    degrees;
  const sigma = Math.sqrt(variance);
  const sigmaUpper =
    sigma * Math.sqrt(degrees / chiSquareQuantile(1 - TIMEOUT_CONFIDENCE, degrees));
  // The sample median's standard error on the log scale: sqrt(pi/2) sigma / sqrt(n).
  const centreUpper =
    Math.log(Math.max(d.median, 1e-3)) +
    (studentTQuantile(TIMEOUT_CONFIDENCE, degrees) * Math.sqrt(Math.PI / 2) * sigma) / Math.sqrt(n);
  const logNormal = Math.exp(centreUpper + normalQuantile(1 - TIMEOUT_EXCEEDANCE) * sigmaUpper);

  // Tail check: a largest call beyond what n log-normal calls reach (95%) means a heavier tail.
  const typicalMax = Math.exp(
    Math.log(Math.max(d.median, 1e-3)) + normalQuantile(TIMEOUT_CONFIDENCE ** (1 / n)) * sigma,
  );
  if (n < 2 || d.max <= typicalMax) return Math.max(logNormal, d.max);
  // Then an exponential tail above the median: the largest of k excesses averages scale x H(k).
  const k = Math.max(1, Math.floor(n / 2));
  let harmonic = 0;
  for (let i = 1; i <= k; i++) harmonic += 1 / i;
  const inflation = (2 * k) / chiSquareQuantile(1 - TIMEOUT_CONFIDENCE, 2 * k);
  const scale = ((d.max - d.median) / harmonic) * inflation;
  const exponential = d.median + scale * Math.log(0.5 / TIMEOUT_EXCEEDANCE);
  return Math.max(logNormal, exponential, d.max);
}

/**
 * The timeout for running at `tier`: an upper confidence bound on the p99.9
 * duration (tailBoundMs) plus the longest cold-start init (at this size, else
 * at any measured size), rounded up to whole seconds within 1..900.
 */
export function recommendTimeout(
  tier: Tier,
  allTiers: readonly Tier[],
  currentTimeoutSeconds?: number,
): TimeoutAdvice {
  const warnings: string[] = [];
  const tailMs = tailBoundMs(tier, allTiers);
  const level = `${TIMEOUT_CONFIDENCE * 100}%`;
  const tailText =
    `p99.9 duration ≤ ${formatDuration(tailMs)} (${level} bound from ${formatCount(tier.durationMs.count, "call")}, ` +
    `median ${formatDuration(tier.durationMs.median)}, max ${formatDuration(tier.durationMs.max)})`;

  let initMs = 0;
  let initText: string | undefined;
  if (tier.initDurationMs !== null) {
    initMs = tier.initDurationMs.max;
    initText = `max init ${formatDuration(initMs)}`;
  } else {
    const elsewhere = allTiers.filter((t) => t.initDurationMs !== null);
    if (elsewhere.length > 0) {
      initMs = Math.max(...elsewhere.map((t) => t.initDurationMs?.max ?? 0));
      initText = `max init ${formatDuration(initMs)} seen at other sizes`;
    }
  }

  const boundMs = tailMs + initMs;
  const raw = Math.ceil(boundMs / 1000);
  const timeoutSeconds = Math.min(MAX_TIMEOUT_SECONDS, Math.max(MIN_TIMEOUT_SECONDS, raw));
  if (raw > MAX_TIMEOUT_SECONDS) {
    warnings.push(
      `${tier.memoryMb} MB: the slowest invocations may need more than the ${MAX_TIMEOUT_SECONDS} s maximum timeout`,
    );
  }
  const measured = initText === undefined ? tailText : `${tailText} + ${initText}`;
  let reason =
    `${timeoutSeconds} s: ${measured} at ${tier.memoryMb} MB, ` +
    `rounded up to whole seconds${initText === undefined ? "; no cold start was measured" : ""}`;
  if (currentTimeoutSeconds !== undefined) {
    const slowest = tier.durationMs.max + initMs;
    if (currentTimeoutSeconds * 1000 < slowest) {
      warnings.push(
        `the current timeout ${currentTimeoutSeconds} s is shorter than the measured slowest invocation (${formatDuration(slowest)}) at ${tier.memoryMb} MB`,
      );
    }
    if (currentTimeoutSeconds < timeoutSeconds) {
      reason += `; the current ${currentTimeoutSeconds} s leaves less headroom, so slow invocations risk timing out`;
    } else if (currentTimeoutSeconds > timeoutSeconds) {
      reason += `; the current ${currentTimeoutSeconds} s is longer than needed, so a hung invocation runs (and bills) longer`;
    } else {
      reason += "; the same as the current timeout";
    }
  }
  return { timeoutSeconds, boundMs, reason, warnings };
}
