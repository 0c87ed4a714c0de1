import type { ResultDocument } from "./result.js";

/**
 * Key order of each object in the result document, as in
 * schema/result.schema.json (a test holds the two together). `map` marks
 * objects whose keys are data (error types, model parameters): they keep their order.
 */
type Shape = { keys: readonly string[]; children?: Record<string, Shape> } | "map";

const distribution: Shape = {
  keys: ["count", "mean", "median", "p90", "p95", "p99", "max", "min", "stdDev"],
};

const tier: Shape = {
  keys: [
    "memoryMb",
    "invocations",
    "warmInvocations",
    "coldStarts",
    "errors",
    "timeouts",
    "outOfMemory",
    "errorTypes",
    "durationMs",
    "billedDurationMs",
    "initDurationMs",
    "coldDurationMs",
    "maxMemoryUsedMb",
    "costPerInvocationUsd",
    "costPerMillionUsd",
    "coldCostPerInvocationUsd",
    "productionCostPerInvocationUsd",
    "payloads",
    "excluded",
    "firstError",
    "warnings",
  ],
  children: {
    errorTypes: "map",
    firstError: { keys: ["errorType", "errorMessage"] },
    durationMs: distribution,
    billedDurationMs: distribution,
    initDurationMs: distribution,
    coldDurationMs: distribution,
    payloads: {
      keys: [
        "payload",
        "weight",
        "invocations",
        "warmInvocations",
        "errors",
        "medianDurationMs",
        "costPerInvocationUsd",
        "costStdDevUsd",
      ],
    },
  },
};

const modelFit: Shape = {
  keys: ["name", "formula", "parameters", "error", "candidates"],
  children: { parameters: "map", candidates: { keys: ["name", "error"] } },
};

const recommendation: Shape = {
  keys: [
    "memoryMb",
    "timeoutSeconds",
    "strategy",
    "expectedDurationMs",
    "expectedCostPerInvocationUsd",
    "reason",
    "band",
    "runnerUp",
    "coldStarts",
    "confidence",
    "timeoutReason",
    "warnings",
  ],
  children: {
    band: { keys: ["tolerance", "cheapestMemoryMb", "sizes", "resolution", "advice"] },
    runnerUp: { keys: ["memoryMb", "costDifference", "warmCalls", "enoughCalls"] },
    coldStarts: {
      keys: ["rate", "source", "billInit", "steadyStateMemoryMb", "changesPick"],
    },
    confidence: { keys: ["runnerUpMemoryMb", "costDifference", "interval", "level"] },
  },
};

export const RESULT_SHAPE: Shape = {
  keys: [
    "schemaVersion",
    "tool",
    "generatedAt",
    "function",
    "target",
    "architecture",
    "region",
    "isolation",
    "runtime",
    "pricing",
    "current",
    "plan",
    "payloads",
    "tiers",
    "model",
    "recommendation",
    "tuningCost",
    "warnings",
  ],
  children: {
    tool: { keys: ["name", "version"] },
    runtime: { keys: ["name", "interpreter", "version", "compiler"] },
    pricing: { keys: ["pricePerGbSecondUsd", "pricePerRequestUsd", "source"] },
    current: { keys: ["memoryMb", "timeoutSeconds"] },
    plan: { keys: ["sizes", "invocationsPerSize", "budget", "seed"] },
    payloads: { keys: ["label", "weight", "preview"] },
    tiers: tier,
    model: modelFit,
    recommendation,
    tuningCost: { keys: ["invocations", "usd"] },
  },
};

function ordered(value: unknown, shape: Shape | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => ordered(item, shape));
  if (value === null || typeof value !== "object" || shape === undefined || shape === "map") {
    return value;
  }
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of shape.keys) {
    if (source[key] !== undefined) out[key] = ordered(source[key], shape.children?.[key]);
  }
  // Keys the shape does not know (a newer document) go last, as they came.
  for (const [key, item] of Object.entries(source)) {
    if (!(key in out) && item !== undefined) out[key] = item;
  }
  return out;
}

/**
 * The document with every object's keys in the schema's order, so the same
 * run always prints byte for byte the same JSON, however it was assembled.
 */
export function canonicalize(doc: ResultDocument): ResultDocument {
  return ordered(doc, RESULT_SHAPE) as ResultDocument;
}

/** The result document as JSON, keys in the schema's order, ending with a newline. */
export function resultJson(doc: ResultDocument): string {
  return `${JSON.stringify(canonicalize(doc), null, 2)}\n`;
}
