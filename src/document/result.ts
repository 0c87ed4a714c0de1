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
  /** Duration of the cold calls alone (inflated by first-call work), or null without any. */
  coldDurationMs?: Distribution | null;
  maxMemoryUsedMb: number;
  /**
   * Mean cost of a warm invocation (all invocations when none was warm), request
   * fee included: the steady state, since a sweep's cold-start share is not production's.
   */
  costPerInvocationUsd: number;
  costPerMillionUsd: number;
  /**
   * Mean cost of one cold call, Init billed as Lambda bills it since August 2025
   * (Duration only with --no-bill-init); null without cold calls.
   */
  coldCostPerInvocationUsd?: number | null;
  /**
   * With a production cold-start rate r: (1 - r) x warm + r x cold, the cost
   * that decides; absent without a rate.
   */
  productionCostPerInvocationUsd?: number;
  /** With several payloads (`--payload-file`): each payload's share of this size's figures. */
  payloads?: PayloadBreakdown[];
  /** Why this size cannot be recommended, when it cannot (errors, constraint). */
  excluded?: string;
  /** The first failed invocation's error at this size, as the function reported it. */
  firstError?: { errorType: string; errorMessage: string };
  warnings: string[];
}

/** One payload of a mix at one size. */
export interface PayloadBreakdown {
  /** Its index in `ResultDocument.payloads`. */
  payload: number;
  /** Its weight as a fraction of all (they sum to 1). */
  weight: number;
  /** Its calls here, cold ones included. */
  invocations: number;
  warmInvocations: number;
  /** Failed calls among `invocations`. */
  errors: number;
  medianDurationMs: number | null;
  /** Mean cost of its warm calls; null without any. */
  costPerInvocationUsd: number | null;
  /** Sample standard deviation of those costs; null below two calls. */
  costStdDevUsd: number | null;
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
  /** The sizes that cost the same as the cheapest within the tie tolerance (absent in older results). */
  band?: Band;
  /** The size the strategy picks without the recommended one, when there is one. */
  runnerUp?: RunnerUp;
  /** With a production cold-start rate: what it did to the pick. */
  coldStarts?: ColdStartWeighing;
  /**
   * The runner-up and the cost difference to it with a bootstrap interval;
   * only from 3 or more warm calls at each of the two sizes.
   */
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

export interface Band {
  /** `--tie-tolerance`, a fraction: 0.02 puts sizes up to 2% dearer than the cheapest in the band. */
  tolerance: number;
  cheapestMemoryMb: number;
  /** The measured sizes within the tolerance of the cheapest, ascending. */
  sizes: number[];
  /**
   * How finely the measured costs tell sizes apart: the 95% half-width of the
   * recommended size's cost difference to the cheapest (or the runner-up), as a fraction.
   */
  resolution: number;
  /** When the resolution is coarser than the tolerance: what would narrow the band. */
  advice?: string;
}

export interface RunnerUp {
  memoryMb: number;
  /** Its cost minus the recommended size's, per invocation (USD), from the point estimates. */
  costDifference: number;
  /** Warm calls behind the two estimates: the recommended size's, then the runner-up's. */
  warmCalls: [number, number];
  /** Whether both have enough warm calls for an interval (then `confidence` holds it). */
  enoughCalls: boolean;
}

export interface ColdStartWeighing {
  /** Production's share of cold starts, as a fraction. */
  rate: number;
  /** Where the rate came from: `--cold-start-rate`, `--cold` or an analysis file. */
  source: string;
  /** Whether a cold call is billed with its Init Duration (false: --no-bill-init). */
  billInit: boolean;
  /** The size the strategy picks from warm calls alone. */
  steadyStateMemoryMb: number | null;
  /** Whether the rate moved the pick away from `steadyStateMemoryMb`. */
  changesPick: boolean;
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
  /** With several payloads (`--payload-file`): each with its weight, in the file's order. */
  payloads?: { label: string; weight: number; preview: string }[];
  tiers: Tier[];
  model: ModelFit | null;
  recommendation: Recommendation | null;
  tuningCost: { invocations: number; usd: number };
  warnings: string[];
}
