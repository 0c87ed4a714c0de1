import type { Architecture, Distribution, ResultDocument } from "./result.js";

/** The version of the analysis document (schema/analysis.schema.json). */
export const ANALYSIS_SCHEMA_VERSION = 1;

export type MemoryVerdict = "under-provisioned" | "over-provisioned" | "adequate";

/** Where the REPORT records came from. */
export interface AnalysisSource {
  kind: "files" | "cloudwatch";
  /** Files read (`-` for stdin), or the log group. */
  names: string[];
  /** CloudWatch: how the group was read. */
  method: "filter-log-events" | "logs-insights" | null;
  /** How the split or fallback of a Logs Insights query went, and similar. */
  notes: string[];
}

/** The time the records cover: CloudWatch's --since..--until, or --window for files. */
export interface AnalysisWindow {
  start: string | null;
  end: string | null;
  seconds: number;
}

export interface MemoryHeadroom {
  /** Max Memory Used, MB: median, p99 (exact, nearest rank) and max. */
  medianUsedMb: number;
  p99UsedMb: number;
  maxUsedMb: number;
  /** p99 of Max Memory Used as a share of the memory size. */
  p99UsedFraction: number;
  verdict: MemoryVerdict;
  advice: string;
}

export interface SizeAnalysis {
  memoryMb: number;
  invocations: number;
  warmInvocations: number;
  coldStarts: number;
  /** coldStarts / invocations. */
  coldStartRate: number;
  errors: number;
  timeouts: number;
  outOfMemory: number;
  errorTypes: Record<string, number>;
  /** Warm invocations when there are any, else all; quantiles from the sketch. */
  durationMs: Distribution;
  durationBasis: "warm" | "all";
  initDurationMs: Distribution | null;
  /** Mean Billed Duration over every invocation, cold starts included. */
  meanBilledDurationMs: number;
  memory: MemoryHeadroom;
  /** Mean cost of an observed invocation (as billed, cold starts included), request fee included. */
  costPerInvocationUsd: number;
  costPerMillionUsd: number;
  timeout: { timeoutSeconds: number; boundMs: number; reason: string; warnings: string[] };
}

/** The cost of a month at the rate seen in the window. */
export interface MonthlyCost {
  windowSeconds: number;
  invocations: number;
  invocationsPerSecond: number;
  /** invocationsPerSecond x 30 days. */
  invocationsPerMonth: number;
  meanCostPerInvocationUsd: number;
  usd: number;
}

export interface AnalysisDocument {
  schemaVersion: typeof ANALYSIS_SCHEMA_VERSION;
  kind: "analysis";
  tool: { name: "lambda-tune"; version: string };
  generatedAt: string;
  /** The function named, or null for logs read without one. */
  function: string | null;
  source: AnalysisSource;
  window: AnalysisWindow | null;
  architecture: Architecture;
  region: string;
  pricing: { pricePerGbSecondUsd: number; pricePerRequestUsd: number; source: string };
  /** How the quantiles and the sample were kept: bounded memory whatever the input. */
  method: { quantileRelativeError: number; samplePerSize: number; seed: number };
  records: number;
  malformedLines: number;
  sizes: SizeAnalysis[];
  monthlyCost: MonthlyCost | null;
  /**
   * With records at two or more sizes: the curve and recommendation `run`
   * gives, from a seeded sample of at most samplePerSize records per size.
   */
  acrossSizes: ResultDocument | null;
  warnings: string[];
}
