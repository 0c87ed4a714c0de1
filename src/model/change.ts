import type { Change } from "../document/comparison.js";
import type { Distribution, Tier } from "../document/result.js";
import { costStandardError, medianStandardError } from "./noise.js";
import type { Pricing } from "./pricing.js";
import {
  normalDensity,
  normalQuantile,
  studentTQuantile,
  welchDegreesOfFreedom,
} from "./quantiles.js";

/** Confidence level of every interval in a comparison. */
export const COMPARISON_LEVEL = 0.95;

/** An estimate from a document's summary: value, standard error and how many calls it rests on. */
export interface Estimate {
  value: number;
  standardError: number;
  count: number;
}

/**
 * Standard error of a sample quantile, sqrt(p(1-p)/n) / f(x_p), with the
 * density taken from a normal of the summary's spread: all a summary allows.
 */
export function quantileStandardError(d: Distribution, p: number): number {
  if (d.count === 0) return 0;
  const density = normalDensity(normalQuantile(p));
  return (d.stdDev * Math.sqrt((p * (1 - p)) / d.count)) / density;
}

export function costEstimate(tier: Tier, pricing: Pricing): Estimate {
  return {
    value: tier.costPerInvocationUsd,
    standardError: costStandardError(tier, pricing),
    count: tier.billedDurationMs.count,
  };
}

export function medianEstimate(tier: Tier): Estimate {
  const d = tier.durationMs;
  return { value: d.median, standardError: medianStandardError(tier), count: d.count };
}

export function p95Estimate(tier: Tier): Estimate {
  const d = tier.durationMs;
  return { value: d.p95, standardError: quantileStandardError(d, 0.95), count: d.count };
}

/** Differences this close (relative) are equal even with no measured spread. */
const EQUAL_RELATIVE = 1e-9;

/**
 * The change from `baseline` to `current` with a Welch interval (independent
 * samples, unequal spreads). For positive quantities (durations, costs) the
 * interval is of the ratio current/baseline, taken on the log scale (the
 * delta method: the relative standard errors add in quadrature), so a
 * relative interval can never reach below -100%; the difference's interval
 * follows from it. Quantities that can be zero or negative get the interval
 * of the plain difference.
 */
export function changeBetween(
  baseline: Estimate,
  current: Estimate,
  level = COMPARISON_LEVEL,
): Change {
  const difference = current.value - baseline.value;
  const relative = baseline.value === 0 ? 0 : difference / baseline.value;
  const base = { baseline: baseline.value, current: current.value, difference };
  if (baseline.count < 2 || current.count < 2) {
    return { ...base, interval: null, relative, relativeInterval: null, verdict: "too-few-calls" };
  }
  const df = welchDegreesOfFreedom(
    baseline.standardError,
    baseline.count,
    current.standardError,
    current.count,
  );
  const t = studentTQuantile((1 + level) / 2, df);
  let interval: [number, number];
  let relativeInterval: [number, number];
  if (baseline.value > 0 && current.value > 0) {
    const logSe = Math.hypot(
      baseline.standardError / baseline.value,
      current.standardError / current.value,
    );
    const logRatio = Math.log(current.value / baseline.value);
    const half = logSe === 0 ? 0 : t * logSe;
    relativeInterval = [Math.expm1(logRatio - half), Math.expm1(logRatio + half)];
    interval = [relativeInterval[0] * baseline.value, relativeInterval[1] * baseline.value];
  } else {
    const se = Math.hypot(baseline.standardError, current.standardError);
    const half = se === 0 ? 0 : t * se;
    interval = [difference - half, difference + half];
    relativeInterval =
      baseline.value === 0 ? [0, 0] : [interval[0] / baseline.value, interval[1] / baseline.value];
  }
  const negligible =
    Math.abs(difference) <=
    EQUAL_RELATIVE * Math.max(Math.abs(baseline.value), Math.abs(current.value));
  const verdict = negligible
    ? "within-noise"
    : interval[0] > 0
      ? "increase"
      : interval[1] < 0
        ? "decrease"
        : "within-noise";
  return { ...base, interval, relative, relativeInterval, verdict };
}

/** Whether the change is an increase of more than `threshold` (a fraction) beyond noise. */
export function exceedsBeyondNoise(change: Change, threshold: number): boolean {
  return change.relativeInterval !== null && change.relativeInterval[0] > threshold;
}

/** Whether the change, up or down, is larger than `threshold` (a fraction) beyond noise. */
export function differsBeyondNoise(change: Change, threshold: number): boolean {
  const interval = change.relativeInterval;
  return interval !== null && (interval[0] > threshold || interval[1] < -threshold);
}
