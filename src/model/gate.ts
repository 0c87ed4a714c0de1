import type {
  Change,
  Gate,
  GateCheck,
  RecommendationChange,
  SizeChange,
} from "../document/comparison.js";
import type { ResultDocument } from "../document/result.js";
import { formatPercent, formatSignedPercent } from "../format.js";
import { differsBeyondNoise, exceedsBeyondNoise } from "./change.js";
import { relativeRange } from "./change-words.js";

/** The size a regression gate checks, and why that one. */
export interface GatedSize {
  memoryMb: number;
  basis: "current configuration" | "baseline recommendation";
}

/**
 * The size the gate checks: the function's current memory when known (what
 * production runs), else what the baseline recommended; null when neither.
 * Known before the sweep, so the planner can measure it (src/tune/adaptive-planner.ts).
 */
export function gatedSize(
  currentMemoryMb: number | undefined,
  baseline: ResultDocument,
): GatedSize | null {
  if (currentMemoryMb !== undefined) {
    return { memoryMb: currentMemoryMb, basis: "current configuration" };
  }
  const recommended = baseline.recommendation?.memoryMb;
  return recommended === undefined
    ? null
    : { memoryMb: recommended, basis: "baseline recommendation" };
}

/**
 * The regression gate: trips when cost or p95 duration at the gated size got
 * worse by more than `threshold` beyond noise (the low end of the interval of
 * the relative change is above it), when that size now fails, or when the
 * recommendation moved to a size whose cost differs from the old one's by more
 * than `threshold` beyond noise. A move within that is reported, not gated:
 * with 10 calls per size, near-tied sizes trade places between runs of the
 * same function, costs 1-7% apart and "beyond noise" in 1-3% of seed pairs
 * (bench/regression-gate.bench.ts). A gate that could compare nothing at the
 * gated size trips too, saying why, unless `allowInconclusive`: a passing gate
 * must mean that something was checked.
 */
export function regressionGate(
  baseline: ResultDocument,
  current: ResultDocument,
  sizes: readonly SizeChange[],
  recommendation: RecommendationChange,
  options: { threshold: number; allowInconclusive: boolean },
): Gate {
  const { threshold } = options;
  const gated = gatedSize(current.current?.memoryMb, baseline);
  const memoryMb = gated?.memoryMb ?? null;
  const basis = gated?.basis ?? "none";
  const checks: GateCheck[] = [];
  const size = sizes.find((s) => s.memoryMb === memoryMb);
  const inconclusive = (why: string): GateCheck => ({
    metric: "cost",
    memoryMb,
    tripped: !options.allowInconclusive,
    detail: options.allowInconclusive
      ? `${why}; passed as inconclusive (--allow-inconclusive)`
      : `${why}, so the gate compared nothing and fails (--allow-inconclusive lets it pass)`,
  });
  if (memoryMb === null) {
    checks.push(
      inconclusive(
        "no size to gate: the current configuration is unknown and the baseline recommends none",
      ),
    );
  } else if (size === undefined) {
    checks.push(
      inconclusive(
        `${memoryMb} MB was not measured in both runs, so its cost and p95 cannot be compared`,
      ),
    );
  } else if (
    size.costPerInvocationUsd.relativeInterval === null &&
    size.p95Ms.relativeInterval === null
  ) {
    checks.push(
      inconclusive(`${memoryMb} MB has too few calls in one run to tell a change from noise`),
    );
  } else {
    checks.push(
      metricCheck("cost", "cost per invocation", size.costPerInvocationUsd, memoryMb, threshold),
    );
    checks.push(metricCheck("p95", "p95 duration", size.p95Ms, memoryMb, threshold));
    if (size.excluded.current !== null && size.excluded.baseline === null) {
      checks.push({
        metric: "errors",
        memoryMb,
        tripped: true,
        detail: `${memoryMb} MB can no longer be recommended: ${size.excluded.current}`,
      });
    }
  }
  checks.push(recommendationCheck(recommendation, current, threshold));
  const compared =
    size !== undefined &&
    (size.costPerInvocationUsd.relativeInterval !== null || size.p95Ms.relativeInterval !== null);
  return {
    threshold,
    memoryMb,
    basis,
    checks,
    inconclusive: !compared,
    tripped: checks.some((c) => c.tripped),
  };
}

function metricCheck(
  metric: "cost" | "p95",
  label: string,
  change: Change,
  memoryMb: number,
  threshold: number,
): GateCheck {
  const what = `${label} at ${memoryMb} MB ${formatSignedPercent(change.relative)} (${relativeRange(change)})`;
  if (change.relativeInterval === null) {
    return { metric, memoryMb, tripped: false, detail: `${what}: cannot tell it from noise` };
  }
  const allowance = formatPercent(threshold);
  const tripped = exceedsBeyondNoise(change, threshold);
  const verdict = tripped
    ? `worse by more than ${allowance} beyond noise`
    : `not worse by more than ${allowance} beyond noise`;
  return { metric, memoryMb, tripped, detail: `${what}: ${verdict}` };
}

function recommendationCheck(
  change: RecommendationChange,
  current: ResultDocument,
  threshold: number,
): GateCheck {
  const memoryMb = change.current?.memoryMb ?? null;
  const before = change.baseline;
  if (!change.moved || before === null) {
    return {
      metric: "recommendation",
      memoryMb,
      tripped: false,
      detail: `recommendation ${change.summary}`,
    };
  }
  const nowExcluded =
    current.tiers.find((t) => t.memoryMb === before.memoryMb)?.excluded !== undefined;
  const matters = change.cost !== null && differsBeyondNoise(change.cost, threshold);
  const tripped = change.current === null || nowExcluded || matters;
  const allowance = formatPercent(threshold);
  const verdict =
    change.cost === null || nowExcluded || change.current === null
      ? ""
      : matters
        ? `: the cost differs by more than ${allowance} beyond noise`
        : `: the cost does not differ by more than ${allowance} beyond noise`;
  return {
    metric: "recommendation",
    memoryMb,
    tripped,
    detail: `recommendation ${change.summary}${verdict}`,
  };
}
