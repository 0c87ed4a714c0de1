import type { Tier } from "../report/result.js";

/** Lambda timeouts are whole seconds from 1 to 900 (LAMBDA-FACTS.md, "Memory, CPU, time limits"). */
export const MIN_TIMEOUT_SECONDS = 1;
export const MAX_TIMEOUT_SECONDS = 900;

/**
 * Headroom over the slowest expected invocation. A tail measured from tens or
 * hundreds of calls underestimates the true tail, and the same function varies
 * by tens of percent between runs and hosts; 1.5x absorbs that while still
 * stopping a hung invocation long before the 900 s maximum bills it.
 */
export const TIMEOUT_SAFETY_FACTOR = 1.5;

/** Below this many warm samples p99 is mere interpolation near the maximum: use the maximum. */
export const P99_MIN_SAMPLES = 100;

export interface TimeoutAdvice {
  timeoutSeconds: number;
  reason: string;
  warnings: string[];
}

function ms(value: number): string {
  return `${value.toFixed(value < 100 ? 1 : 0)} ms`;
}

/**
 * The timeout for running at `tier`: the duration tail plus the longest
 * cold-start init (at this size, else at any measured size), times the safety
 * factor, rounded up to whole seconds within 1..900.
 */
export function recommendTimeout(
  tier: Tier,
  allTiers: readonly Tier[],
  currentTimeoutSeconds?: number,
): TimeoutAdvice {
  const warnings: string[] = [];
  const useP99 = tier.durationMs.count >= P99_MIN_SAMPLES;
  const tailMs = useP99 ? tier.durationMs.p99 : tier.durationMs.max;
  const tailText = `${useP99 ? "p99" : "max"} duration ${ms(tailMs)}`;

  let initMs = 0;
  let initText: string | undefined;
  if (tier.initDurationMs !== null) {
    initMs = tier.initDurationMs.max;
    initText = `max init ${ms(initMs)}`;
  } else {
    const elsewhere = allTiers.filter((t) => t.initDurationMs !== null);
    if (elsewhere.length > 0) {
      initMs = Math.max(...elsewhere.map((t) => t.initDurationMs?.max ?? 0));
      initText = `max init ${ms(initMs)} seen at other sizes`;
    }
  }

  const raw = Math.ceil((TIMEOUT_SAFETY_FACTOR * (tailMs + initMs)) / 1000);
  const timeoutSeconds = Math.min(MAX_TIMEOUT_SECONDS, Math.max(MIN_TIMEOUT_SECONDS, raw));
  if (raw > MAX_TIMEOUT_SECONDS) {
    warnings.push(
      `${tier.memoryMb} MB: the slowest invocations need more than the ${MAX_TIMEOUT_SECONDS} s maximum timeout with ${TIMEOUT_SAFETY_FACTOR}x headroom`,
    );
  }
  const measured = initText === undefined ? tailText : `${tailText} + ${initText}`;
  let reason =
    `${timeoutSeconds} s: ${TIMEOUT_SAFETY_FACTOR}x (${measured}) at ${tier.memoryMb} MB, ` +
    `rounded up to whole seconds${initText === undefined ? "; no cold start was measured" : ""}`;
  if (currentTimeoutSeconds !== undefined) {
    if (currentTimeoutSeconds * 1000 < tailMs + initMs) {
      warnings.push(
        `the current timeout ${currentTimeoutSeconds} s is shorter than the measured ${measured} at ${tier.memoryMb} MB`,
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
  return { timeoutSeconds, reason, warnings };
}
