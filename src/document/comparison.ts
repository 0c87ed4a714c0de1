/** Version of the comparison's shape (`compare --output json`); bumped like the result's. */
export const COMPARISON_VERSION = 1;

/** Whether a change stands out from measurement noise at the comparison's level. */
export type ChangeVerdict = "increase" | "decrease" | "within-noise" | "too-few-calls";

/** One quantity in the baseline and now, with the interval of its difference. */
export interface Change {
  baseline: number;
  current: number;
  /** current - baseline. */
  difference: number;
  /** Welch interval of `difference` at the comparison's level; null with fewer than 2 calls on a side. */
  interval: [number, number] | null;
  /** `difference` over `baseline` (0.1 is 10% more). */
  relative: number;
  relativeInterval: [number, number] | null;
  verdict: ChangeVerdict;
}

export interface SizeChange {
  memoryMb: number;
  medianMs: Change;
  p95Ms: Change;
  costPerInvocationUsd: Change;
  /** Why the size cannot be recommended now, when it could in the baseline, or the reverse. */
  excluded: { baseline: string | null; current: string | null };
}

export interface RecommendedSize {
  memoryMb: number;
  timeoutSeconds: number;
  expectedDurationMs: number;
  expectedCostPerInvocationUsd: number;
}

export interface RecommendationChange {
  baseline: RecommendedSize | null;
  current: RecommendedSize | null;
  /** The recommended memory size differs (or one side has none). */
  moved: boolean;
  timeoutChanged: boolean;
  /**
   * When moved: cost per invocation at the baseline's recommended size
   * (`baseline`) against the new one (`current`), both from this run when it
   * measured both, else each from its own document (`basis`).
   */
  cost: (Change & { basis: "this run" | "across runs" }) | null;
  /** What moved, in words. */
  summary: string;
}

export type GateMetric = "cost" | "p95" | "errors" | "recommendation";

export interface GateCheck {
  metric: GateMetric;
  memoryMb: number | null;
  tripped: boolean;
  /** What was checked and what was found, in words and numbers. */
  detail: string;
}

export interface Gate {
  /** The regression allowed beyond noise, as a fraction (0.1 is 10%). */
  threshold: number;
  /** The size whose cost and p95 are gated: the current configuration, else the baseline's pick. */
  memoryMb: number | null;
  basis: "current configuration" | "baseline recommendation" | "none";
  checks: GateCheck[];
  /**
   * Nothing at the gated size could be compared (not measured in both runs, or
   * too few calls to tell a change from noise): the gate trips unless allowed.
   */
  inconclusive: boolean;
  tripped: boolean;
}

export interface Comparison {
  comparisonVersion: typeof COMPARISON_VERSION;
  function: string;
  baseline: { function: string; generatedAt: string; seed: number };
  current: { function: string; generatedAt: string; seed: number };
  /** Confidence level of every interval, e.g. 0.95. */
  level: number;
  /** Sizes measured in both documents, ascending. */
  sizes: SizeChange[];
  onlyInBaseline: number[];
  onlyInCurrent: number[];
  recommendation: RecommendationChange;
  /** Present with `--fail-on-regression`. */
  gate: Gate | null;
  warnings: string[];
}
