/** Where a sweep ran: real Lambda, the local emulator, or recorded REPORT lines. */
export type TargetKind = "local" | "aws" | "replay";
export type Architecture = "x86_64" | "arm64";

/** The version of the result document; bump when a field is removed or renamed. */
export const SCHEMA_VERSION = 1;

export type Strategy = "cost" | "speed" | "balanced";

/** Summary of one distribution (milliseconds). */
export interface Distribution {
  count: number;
  mean: number;
  median: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  min: number;
  stdDev: number;
}

export interface Tier {
  memoryMb: number;
  invocations: number;
  /** Invocations without Init Duration. */
  warmInvocations: number;
  coldStarts: number;
  /** Failed invocations of any kind, timeouts and out-of-memory included. */
  errors: number;
  timeouts: number;
  outOfMemory: number;
  /** Error types seen, with counts. */
  errorTypes: Record<string, number>;
  /** Warm invocations when there are any, else all. */
  durationMs: Distribution;
  /** Warm invocations when there are any, else all (like durationMs). */
  billedDurationMs: Distribution;
  initDurationMs: Distribution | null;
  maxMemoryUsedMb: number;
  /**
   * Mean cost of a warm invocation (all invocations when none was warm), request
   * fee included: the steady state, since a sweep's cold-start share is not production's.
   */
  costPerInvocationUsd: number;
  costPerMillionUsd: number;
  /** Why this size cannot be recommended, when it cannot (errors, constraint). */
  excluded?: string;
  /** The first failed invocation's error at this size, as the function reported it. */
  firstError?: { errorType: string; errorMessage: string };
  warnings: string[];
}

export interface ModelFit {
  name: string;
  /** Human-readable formula, e.g. `a + b/min(m, knee)`. */
  formula: string;
  parameters: Record<string, number>;
  /**
   * Leave-one-size-out error: mean absolute percentage error of predicted median
   * duration, as a fraction (0.05 is 5%).
   */
  error: number;
  /** The other candidates, with their held-out errors. */
  candidates: { name: string; error: number }[];
}

export interface Recommendation {
  memoryMb: number;
  timeoutSeconds: number;
  strategy: Strategy;
  expectedDurationMs: number;
  expectedCostPerInvocationUsd: number;
  reason: string;
  /** How sure: the runner-up and the cost difference to it with an interval, when known. */
  confidence?: {
    runnerUpMemoryMb: number;
    costDifference: number;
    interval: [number, number];
    level: number;
  };
  timeoutReason: string;
  warnings: string[];
}

/** What ran the function on the local target: Lambda's runtime, and the program behind it here. */
export interface RuntimeInfo {
  /** Lambda's identifier, e.g. `python3.11`, `nodejs20.x`, `provided.al2023`. */
  name: string;
  /** The local program: an interpreter's path, or a custom runtime's `bootstrap`. */
  interpreter: string;
  /** The interpreter's version (`3.11.2`), when it has one. */
  version?: string;
  /** What compiled the handler first (TypeScript), e.g. `esbuild 0.28.2`. */
  compiler?: string;
}

export interface ResultDocument {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: "lambda-tune"; version: string };
  generatedAt: string;
  function: string;
  target: TargetKind;
  architecture: Architecture;
  region: string;
  isolation?: string;
  runtime?: RuntimeInfo;
  pricing: {
    pricePerGbSecondUsd: number;
    pricePerRequestUsd: number;
    source: string;
  };
  current?: { memoryMb?: number; timeoutSeconds?: number };
  plan: { sizes: number[]; invocationsPerSize: number | null; budget: number | null; seed: number };
  tiers: Tier[];
  model: ModelFit | null;
  recommendation: Recommendation | null;
  tuningCost: { invocations: number; usd: number };
  warnings: string[];
}
