import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Strategy, TargetKind } from "../document/result.js";
import { UsageError } from "../errors.js";
import { type Pricing, resolvePricing } from "../model/pricing.js";
import { isOutputFormat, type OutputFormat, renderers } from "../report/renderers.js";
import {
  DEFAULT_INVOCATIONS,
  DEFAULT_SIZES,
  parseMemorySpec,
  parseNonNegativeInt,
  parsePositiveInt,
} from "../tune/memory-spec.js";
import { parseBaselineOptions } from "./baseline.js";

const STRATEGIES: readonly Strategy[] = ["cost", "speed", "balanced"];
const TARGETS: readonly TargetKind[] = ["local", "aws", "replay"];
const ISOLATIONS = ["auto", "cgroup-v2", "cgroup-v1", "user-space-throttle", "none"] as const;
export type IsolationChoice = (typeof ISOLATIONS)[number];

/** `run`'s options, checked: everything a user can get wrong fails here with exit 2. */
export interface RunSettings {
  functionArg: string;
  target: TargetKind | undefined;
  sizes: number[];
  /**
   * `--memory` as the user gave it: absent, a plain list of sizes, or with a
   * range (which bounds the adaptive planner instead of listing a grid).
   */
  memory: "default" | "list" | "range";
  /** Invocations per size for a fixed grid (`-n`, default 10). */
  invocations: number;
  invocationsGiven: boolean;
  /** `--budget`: total invocations for the adaptive planner. */
  budget: number | undefined;
  payload: string;
  concurrency: number;
  strategy: Strategy;
  balancedTolerance: number | undefined;
  maxP95Ms: number | undefined;
  region: string | undefined;
  /** aws: --endpoint-url and --profile, as the AWS CLI spells them. */
  endpointUrl: string | undefined;
  profile: string | undefined;
  /** aws: --dry-run, --max-cost USD, --apply, --apply-alias NAME. */
  dryRun: boolean;
  maxCostUsd: number | undefined;
  apply: boolean;
  applyAlias: string | undefined;
  architecture: string | undefined;
  pricePerGbSecond: number | undefined;
  pricePerRequest: number | undefined;
  replayFile: string | undefined;
  seed: number;
  timeoutSeconds: number | undefined;
  cold: boolean;
  billInit: boolean;
  isolation: IsolationChoice;
  output: OutputFormat;
  /** `--baseline`: an earlier result to compare with. */
  baseline: string | undefined;
  failOnRegression: number | undefined;
  force: boolean;
  out: string | undefined;
  quiet: boolean;
}

function text(raw: Record<string, unknown>, name: string): string | undefined {
  const value = raw[name];
  return typeof value === "string" ? value : undefined;
}

function oneOf<T extends string>(flag: string, value: string, known: readonly T[]): T {
  if ((known as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`unknown ${flag} '${value}'`, {
    hint: `use one of: ${known.join(", ")}`,
  });
}

function positiveNumber(flag: string, value: string, unit: string): number {
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number) || number <= 0) {
    throw new UsageError(`${flag} must be a positive number of ${unit}, not '${value}'`, {
      hint: `e.g. ${flag} ${unit === "USD" ? "0.0000166667" : "500"}`,
    });
  }
  return number;
}

function percent(flag: string, value: string): number {
  const number = Number(value.replace(/%$/, ""));
  if (!Number.isFinite(number) || number < 0) {
    throw new UsageError(`${flag} must be a percentage, not '${value}'`, {
      hint: `e.g. ${flag} 10%`,
    });
  }
  return number / 100;
}

async function readPayload(raw: Record<string, unknown>, cwd: string): Promise<string> {
  const inline = text(raw, "payload");
  const file = text(raw, "payloadFile");
  if (inline !== undefined && file !== undefined) {
    throw new UsageError("--payload and --payload-file were both given", {
      hint: "keep one of them",
    });
  }
  let payload = inline ?? "{}";
  let source = "--payload";
  if (file !== undefined) {
    source = file;
    try {
      payload = await readFile(resolve(cwd, file), "utf8");
    } catch (error) {
      throw new UsageError(`cannot read the payload file ${file}`, {
        hint: "check the path given to --payload-file",
        cause: error,
      });
    }
  }
  try {
    JSON.parse(payload);
  } catch (error) {
    throw new UsageError(`the payload in ${source} is not JSON: ${(error as Error).message}`, {
      hint: `give an event as JSON, e.g. --payload '{"key":"value"}'`,
    });
  }
  return payload;
}

export async function parseRunOptions(
  functionArg: string,
  raw: Record<string, unknown>,
  cwd: string,
): Promise<RunSettings> {
  const memory = text(raw, "memory");
  const sizes = memory === undefined ? [...DEFAULT_SIZES] : parseMemorySpec(memory);
  const invocationsText = text(raw, "invocations");
  const timeoutText = text(raw, "timeout");
  let timeoutSeconds: number | undefined;
  if (timeoutText !== undefined) {
    timeoutSeconds = parsePositiveInt("--timeout", timeoutText);
    // Lambda's timeout is 1 to 900 s in whole seconds (LAMBDA-FACTS: time limits).
    if (timeoutSeconds > 900) {
      throw new UsageError(`--timeout ${timeoutSeconds} is above Lambda's limit of 900 seconds`, {
        hint: "give --timeout a whole number of seconds from 1 to 900",
      });
    }
  }
  const json = raw.json === true;
  const outputText = text(raw, "output");
  if (json && outputText !== undefined && outputText !== "json") {
    throw new UsageError(`--json and --output ${outputText} ask for different outputs`, {
      hint: "keep one of them",
    });
  }
  const output = json ? "json" : (outputText ?? "table");
  if (!isOutputFormat(output)) {
    throw new UsageError(`unknown --output '${output}'`, {
      hint: `use one of: ${Object.keys(renderers).join(", ")}`,
    });
  }
  const targetText = text(raw, "target");
  const maxP95 = text(raw, "maxP95");
  const price = text(raw, "pricePerGbSecond");
  const request = text(raw, "pricePerRequest");
  const tolerance = text(raw, "balancedTolerance");
  const seed = text(raw, "seed");
  const concurrency = text(raw, "concurrency");
  const budget = text(raw, "budget");
  const maxCost = text(raw, "maxCost");
  const applyAlias = text(raw, "applyAlias");
  if (raw.apply === true && applyAlias !== undefined) {
    throw new UsageError("--apply and --apply-alias were both given", {
      hint: "--apply changes the function itself; --apply-alias NAME points an alias at a new version instead: keep one",
    });
  }
  return {
    functionArg,
    target: targetText === undefined ? undefined : oneOf("--target", targetText, TARGETS),
    sizes,
    memory: memory === undefined ? "default" : /\d-|:/.test(memory) ? "range" : "list",
    invocationsGiven: invocationsText !== undefined,
    budget: budget === undefined ? undefined : parsePositiveInt("--budget", budget),
    invocations:
      invocationsText === undefined
        ? DEFAULT_INVOCATIONS
        : parsePositiveInt("--invocations", invocationsText),
    payload: await readPayload(raw, cwd),
    concurrency: concurrency === undefined ? 1 : parsePositiveInt("--concurrency", concurrency),
    strategy: oneOf("--strategy", text(raw, "strategy") ?? "cost", STRATEGIES),
    balancedTolerance:
      tolerance === undefined ? undefined : percent("--balanced-tolerance", tolerance),
    maxP95Ms: maxP95 === undefined ? undefined : positiveNumber("--max-p95", maxP95, "ms"),
    region: text(raw, "region"),
    endpointUrl: text(raw, "endpointUrl"),
    profile: text(raw, "profile"),
    dryRun: raw.dryRun === true,
    maxCostUsd: maxCost === undefined ? undefined : positiveNumber("--max-cost", maxCost, "USD"),
    apply: raw.apply === true,
    applyAlias,
    architecture: text(raw, "architecture"),
    pricePerGbSecond:
      price === undefined ? undefined : positiveNumber("--price-per-gb-second", price, "USD"),
    pricePerRequest:
      request === undefined ? undefined : positiveNumber("--price-per-request", request, "USD"),
    replayFile: text(raw, "replayFile"),
    seed: seed === undefined ? 1 : parseNonNegativeInt("--seed", seed),
    timeoutSeconds,
    cold: raw.cold === true,
    billInit: raw.billInit !== false,
    isolation: oneOf("--isolation", text(raw, "isolation") ?? "auto", ISOLATIONS),
    output,
    ...parseBaselineOptions(raw),
    out: text(raw, "out"),
    quiet: raw.quiet === true,
  };
}

/** Pricing for the function's architecture and region, or the user's overrides. */
export function pricingFor(
  settings: RunSettings,
  found: { architecture: string; region: string },
): Pricing {
  return resolvePricing({
    region: settings.region ?? found.region,
    architecture: settings.architecture ?? found.architecture,
    ...(settings.pricePerGbSecond !== undefined && { pricePerGbSecond: settings.pricePerGbSecond }),
    ...(settings.pricePerRequest !== undefined && { pricePerRequest: settings.pricePerRequest }),
  });
}
