import { type ResultDocument, SCHEMA_VERSION } from "./result.js";

/**
 * What reading a document found: a result this version can use, one from a
 * newer lambda-tune, or something else. Only the fields a comparison relies
 * on are checked (the full schema check needs ajv, a devDependency); unknown
 * fields are allowed, since adding a field keeps the schema version.
 */
export type ResultCheck =
  | { kind: "result"; doc: ResultDocument }
  | { kind: "newer-version"; schemaVersion: number }
  | { kind: "not-a-result"; problems: string[] };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

class Problems {
  readonly list: string[] = [];

  object(value: unknown, path: string): value is Json {
    if (isObject(value)) return true;
    this.list.push(`${path} is not an object`);
    return false;
  }

  numbers(value: Json, path: string, keys: readonly string[]): void {
    for (const key of keys) {
      if (!isNumber(value[key])) this.list.push(`${path}.${key} is not a number`);
    }
  }

  strings(value: Json, path: string, keys: readonly string[]): void {
    for (const key of keys) {
      if (typeof value[key] !== "string") this.list.push(`${path}.${key} is not a string`);
    }
  }
}

const DISTRIBUTION_NUMBERS = ["count", "mean", "median", "p95", "stdDev"] as const;

function checkTier(tier: unknown, path: string, problems: Problems): void {
  if (!problems.object(tier, path)) return;
  problems.numbers(tier, path, ["memoryMb", "invocations", "costPerInvocationUsd"]);
  for (const key of ["durationMs", "billedDurationMs"]) {
    const d = tier[key];
    if (problems.object(d, `${path}.${key}`))
      problems.numbers(d, `${path}.${key}`, DISTRIBUTION_NUMBERS);
  }
  if (tier.excluded !== undefined && typeof tier.excluded !== "string") {
    problems.list.push(`${path}.excluded is not a string`);
  }
}

function checkRecommendation(rec: unknown, problems: Problems): void {
  if (rec === null) return;
  const path = "recommendation";
  if (!problems.object(rec, path)) return;
  problems.numbers(rec, path, [
    "memoryMb",
    "timeoutSeconds",
    "expectedDurationMs",
    "expectedCostPerInvocationUsd",
  ]);
  problems.strings(rec, path, ["strategy"]);
}

/** Checks that `value` (parsed JSON) is a lambda-tune result document this version can read. */
export function checkResult(value: unknown): ResultCheck {
  if (!isObject(value)) return { kind: "not-a-result", problems: ["it is not a JSON object"] };
  const tool = value.tool;
  if (!isObject(tool) || tool.name !== "lambda-tune") {
    return { kind: "not-a-result", problems: ['tool.name is not "lambda-tune"'] };
  }
  const version = value.schemaVersion;
  if (!Number.isInteger(version) || (version as number) < 1) {
    return { kind: "not-a-result", problems: ["schemaVersion is not a positive whole number"] };
  }
  if ((version as number) > SCHEMA_VERSION) {
    return { kind: "newer-version", schemaVersion: version as number };
  }
  const problems = new Problems();
  problems.strings(value, "(document)", [
    "generatedAt",
    "function",
    "target",
    "architecture",
    "region",
  ]);
  if (problems.object(value.pricing, "pricing")) {
    problems.numbers(value.pricing, "pricing", ["pricePerGbSecondUsd", "pricePerRequestUsd"]);
  }
  if (problems.object(value.plan, "plan")) problems.numbers(value.plan, "plan", ["seed"]);
  if (value.current !== undefined && problems.object(value.current, "current")) {
    const memoryMb = value.current.memoryMb;
    if (memoryMb !== undefined && !isNumber(memoryMb))
      problems.list.push("current.memoryMb is not a number");
  }
  if (Array.isArray(value.tiers)) {
    value.tiers.forEach((tier, i) => {
      checkTier(tier, `tiers[${i}]`, problems);
    });
  } else {
    problems.list.push("tiers is not an array");
  }
  if (!("recommendation" in value)) problems.list.push("recommendation is missing");
  else checkRecommendation(value.recommendation, problems);
  if (!Array.isArray(value.warnings)) problems.list.push("warnings is not an array");
  if (problems.list.length > 0) return { kind: "not-a-result", problems: problems.list };
  return { kind: "result", doc: value as unknown as ResultDocument };
}
