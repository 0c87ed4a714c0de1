import type { Distribution, ResultDocument, Tier } from "../../src/document/result.js";

const PRICE_PER_GB_SECOND = 0.0000166667;
const PRICE_PER_REQUEST = 0.0000002;
const INVOCATIONS_PER_SIZE = 10;

/** A spread around a median shaped like warm Lambda durations: a tight body, a longer tail. */
export function distributionAround(median: number, count: number): Distribution {
  const at = (factor: number) => Math.round(median * factor * 100) / 100;
  return {
    count,
    mean: at(1.03),
    median,
    p90: at(1.09),
    p95: at(1.13),
    p99: at(1.21),
    max: at(1.24),
    min: at(0.96),
    stdDev: at(0.05),
  };
}

function ceilAll(d: Distribution): Distribution {
  const c = Math.ceil;
  return {
    ...d,
    mean: c(d.mean),
    median: c(d.median),
    p90: c(d.p90),
    p95: c(d.p95),
    p99: c(d.p99),
    max: c(d.max),
    min: c(d.min),
  };
}

function tier(memoryMb: number, medianMs: number, initMs: number, overrides: Partial<Tier> = {}) {
  const warm = INVOCATIONS_PER_SIZE - 1;
  const billedDurationMs = ceilAll(distributionAround(medianMs, INVOCATIONS_PER_SIZE));
  const cost =
    PRICE_PER_GB_SECOND * (memoryMb / 1024) * (billedDurationMs.mean / 1000) + PRICE_PER_REQUEST;
  const result: Tier = {
    memoryMb,
    invocations: INVOCATIONS_PER_SIZE,
    warmInvocations: warm,
    coldStarts: 1,
    errors: 0,
    timeouts: 0,
    outOfMemory: 0,
    errorTypes: {},
    durationMs: distributionAround(medianMs, warm),
    billedDurationMs,
    initDurationMs: { ...distributionAround(initMs, 1), p90: initMs, p95: initMs, p99: initMs },
    coldDurationMs: distributionAround(Math.round(medianMs * 1.4), 1),
    maxMemoryUsedMb: Math.min(memoryMb, 118 + Math.round(memoryMb / 256)),
    costPerInvocationUsd: cost,
    costPerMillionUsd: cost * 1e6,
    coldCostPerInvocationUsd:
      PRICE_PER_GB_SECOND * (memoryMb / 1024) * ((medianMs * 1.4 + initMs) / 1000) +
      PRICE_PER_REQUEST,
    warnings: [],
    ...overrides,
  };
  return result;
}

/**
 * A full, realistic result of a CPU-bound function swept over 128..1536 MB on the
 * local target: duration falls about as 1/memory up to one vCPU, so cost is
 * nearly flat there; GC slows 128 MB, which also runs out of memory now and then.
 */
export function sampleResult(overrides: Partial<ResultDocument> = {}): ResultDocument {
  const tiers = [
    tier(128, 2398, 612, {
      errors: 3,
      outOfMemory: 3,
      errorTypes: { "Runtime.OutOfMemory": 3 },
      maxMemoryUsedMb: 129,
      excluded: "3 of 10 invocations ran out of memory (Runtime.OutOfMemory)",
      warnings: ["Max Memory Used 129 MB is above the memory size"],
    }),
    tier(256, 1131, 421),
    tier(512, 561, 318),
    tier(1024, 276, 247),
    tier(1536, 195, 231),
  ];
  const recommended = tiers[3]!;
  const runnerUp = tiers[2]!;
  const invocations = tiers.reduce((sum, t) => sum + t.invocations, 0);
  const usd = tiers.reduce((sum, t) => sum + t.costPerInvocationUsd * t.invocations, 0);
  const costDifference = runnerUp.costPerInvocationUsd - recommended.costPerInvocationUsd;

  return {
    schemaVersion: 1,
    tool: { name: "lambda-tune", version: "0.1.0" },
    generatedAt: "2025-09-14T10:21:37.512Z",
    function: "fixtures/handlers/cpu-bound.handler",
    target: "local",
    architecture: "x86_64",
    region: "us-east-1",
    isolation: "cgroup-v2",
    pricing: {
      pricePerGbSecondUsd: PRICE_PER_GB_SECOND,
      pricePerRequestUsd: PRICE_PER_REQUEST,
      source: "built-in price table (us-east-1, 2025-08)",
    },
    current: { memoryMb: 256, timeoutSeconds: 6 },
    plan: {
      sizes: tiers.map((t) => t.memoryMb),
      invocationsPerSize: INVOCATIONS_PER_SIZE,
      budget: null,
      seed: 42,
    },
    tiers,
    model: {
      name: "amdahl",
      formula: "a + b/min(m, knee)",
      parameters: { a: 3.4, b: 281_600, knee: 1769 },
      error: 0.021,
      candidates: [
        { name: "amdahl", error: 0.021 },
        { name: "power", error: 0.035 },
        { name: "exponential", error: 0.094 },
        { name: "logarithmic", error: 0.48 },
      ],
    },
    recommendation: {
      memoryMb: recommended.memoryMb,
      timeoutSeconds: 2,
      strategy: "cost",
      expectedDurationMs: recommended.durationMs.median,
      expectedCostPerInvocationUsd: recommended.costPerInvocationUsd,
      reason:
        "512-1,024 MB cost the same within 2%; 1,024 MB is the fastest of them (2x faster than 512 MB): $4.95 per 1M invocations, median 276 ms",
      band: { tolerance: 0.02, cheapestMemoryMb: 1024, sizes: [512, 1024], resolution: 0.012 },
      runnerUp: {
        memoryMb: runnerUp.memoryMb,
        costDifference,
        warmCalls: [INVOCATIONS_PER_SIZE - 1, INVOCATIONS_PER_SIZE - 1],
        enoughCalls: true,
      },
      confidence: {
        runnerUpMemoryMb: runnerUp.memoryMb,
        costDifference,
        interval: [costDifference - 4.6e-8, costDifference + 4.6e-8],
        level: 0.95,
      },
      timeoutReason: "p99 334 ms + cold start 247 ms, times 3 for safety, rounded up to 2 s",
      warnings: ["costs from 256 to 1024 MB are within 3% of each other"],
    },
    tuningCost: { invocations, usd },
    warnings: ["the first invocation at each size was a cold start; it is left out of durations"],
    ...overrides,
  };
}

/** The sample's model as a function, as the CLI would build it from src/model. */
export function samplePredict(memoryMb: number): number {
  return 3.4 + 281_600 / Math.min(memoryMb, 1769);
}
