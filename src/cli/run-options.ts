import type { Strategy } from "../document/result.js";
import { UsageError } from "../errors.js";
import {
  oneOf,
  parseFraction,
  parseNonNegativeInt,
  parsePause,
  parsePositiveInt,
  parsePositiveNumber,
  type RawOptions,
  textOption,
} from "../flags.js";
import { formatMb } from "../format.js";
import { MAX_INVOKE_PAYLOAD_BYTES, MAX_TIMEOUT_SECONDS, MIN_TIMEOUT_SECONDS } from "../lambda.js";
import { type Pricing, resolvePricing } from "../model/pricing.js";
import { MAX_TIE_TOLERANCE } from "../model/recommend.js";
import { isOutputFormat, type OutputFormat, renderers } from "../report/renderers.js";
import { checkTargetFlags, targetNamed, targets } from "../targets/registry.js";
import type { Target, TargetDefinition, TargetRequest } from "../targets/target.js";
import { DEFAULT_BUDGET } from "../tune/budget.js";
import { DEFAULT_INVOCATIONS, DEFAULT_SIZES, parseMemorySpec } from "../tune/memory-spec.js";
import {
  checkDependents,
  checkRunFlagsApply,
  type Dependent,
  refuseEnvFile,
} from "./applicable.js";
import { parseBaselineOptions } from "./baseline.js";
import { type ColdStartRate, parseColdStartRate } from "./cold-start-rate.js";
import { type Payloads, readPayloads } from "./payloads.js";

const STRATEGIES: readonly Strategy[] = ["cost", "speed", "balanced"];

/** `run` flags that only mean something with another one. */
const RUN_DEPENDENTS: readonly Dependent[] = [
  {
    flags: "--balanced-tolerance",
    needs: (raw) => raw.strategy === "balanced",
    problem: "--balanced-tolerance applies only to --strategy balanced",
    hint: "add --strategy balanced, or drop --balanced-tolerance",
  },
  {
    flags: "--verbose",
    needs: (raw) => raw.json !== true && (raw.output === undefined || raw.output === "table"),
    problem: "--verbose adds detail to the table output only",
    hint: "drop --verbose, or use --output table (the JSON document always holds every detail)",
  },
  {
    flags: "--force",
    needs: (raw) => typeof raw.baseline === "string",
    problem: "--force applies only to a comparison with --baseline",
    hint: "add --baseline previous.json, or drop --force",
  },
];

/** `run`'s options, checked: everything a user can get wrong fails here with exit 2. */
export interface RunSettings {
  functionArg: string;
  /** The target `<function>` runs on (--target, or the first that claims it). */
  target: TargetDefinition;
  /** Creates that target, its own flags checked. */
  createTarget: (request: TargetRequest) => Promise<Target>;
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
  /** `--payload` or `--payload-file`: one event, or several with weights. */
  payloads: Payloads;
  concurrency: number;
  strategy: Strategy;
  balancedTolerance: number | undefined;
  /** `--tie-tolerance`, a fraction; undefined: the default (2%). */
  tieTolerance: number | undefined;
  /** `--cold-start-rate`, `--cold-starts-from` or `--cold`; undefined: the steady state decides. */
  coldStartRate: ColdStartRate | undefined;
  /** `--no-bill-init`: cold calls billed on Duration alone (Lambda's rule before August 2025). */
  billInit: boolean;
  /** `--verbose`: the detail behind the recommendation, not only its paragraph. */
  verbose: boolean;
  maxP95Ms: number | undefined;
  region: string | undefined;
  architecture: string | undefined;
  pricePerGbSecond: number | undefined;
  pricePerRequest: number | undefined;
  seed: number;
  timeoutSeconds: number | undefined;
  output: OutputFormat;
  /** `--baseline`: an earlier result to compare with. */
  baseline: string | undefined;
  failOnRegression: number | undefined;
  allowInconclusive: boolean;
  force: boolean;
  out: string | undefined;
  quiet: boolean;
  /** --yes: run a grid larger than LARGE_GRID invocations. */
  yes: boolean;
  /** --pause: milliseconds between the end of one invocation and the start of the next at a size. */
  pauseMs: number;
}

/** The target `<function>` runs on: `--target`, else the first in the registry that claims it. */
function chooseTarget(functionArg: string, raw: RawOptions, cwd: string): TargetDefinition {
  const named = textOption(raw, "target");
  if (named !== undefined) {
    const target = targetNamed(named);
    if (target !== undefined) return target;
    oneOf(
      "--target",
      named,
      targets.map((t) => t.kind),
    );
  }
  const claimed = targets.find((target) => target.claims(functionArg, raw, cwd));
  if (claimed === undefined) throw new Error(`no target claims ${functionArg}`);
  return claimed;
}

/** Lambda refuses a synchronous request over 6 MB; so does the emulator, before any invocation. */
function checkPayloadSizes<T extends { events: readonly string[] }>(payloads: T): T {
  for (const payload of payloads.events) checkPayloadSize(payload);
  return payloads;
}

function checkPayloadSize(payload: string): void {
  const bytes = Buffer.byteLength(payload);
  if (bytes > MAX_INVOKE_PAYLOAD_BYTES) {
    throw new UsageError(
      `the payload is ${formatMb(bytes / (1024 * 1024))} MB; Lambda accepts at most 6 MB (${MAX_INVOKE_PAYLOAD_BYTES} bytes) in a synchronous invocation`,
      {
        hint: "give a smaller event: put large data in S3 and pass its key, as a deployed function would",
      },
    );
  }
}

export async function parseRunOptions(
  functionArg: string,
  raw: RawOptions,
  cwd: string,
): Promise<RunSettings> {
  const memory = textOption(raw, "memory");
  const sizes = memory === undefined ? [...DEFAULT_SIZES] : parseMemorySpec(memory);
  const invocationsText = textOption(raw, "invocations");
  const timeoutText = textOption(raw, "timeout");
  let timeoutSeconds: number | undefined;
  if (timeoutText !== undefined) {
    timeoutSeconds = parsePositiveInt("--timeout", timeoutText);
    if (timeoutSeconds > MAX_TIMEOUT_SECONDS) {
      throw new UsageError(
        `--timeout ${timeoutSeconds} is above Lambda's limit of ${MAX_TIMEOUT_SECONDS} seconds`,
        {
          hint: `give --timeout a whole number of seconds from ${MIN_TIMEOUT_SECONDS} to ${MAX_TIMEOUT_SECONDS}`,
        },
      );
    }
  }
  const json = raw.json === true;
  const outputText = textOption(raw, "output");
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
  const maxP95 = textOption(raw, "maxP95");
  const price = textOption(raw, "pricePerGbSecond");
  const request = textOption(raw, "pricePerRequest");
  const tolerance = textOption(raw, "balancedTolerance");
  const tie = textOption(raw, "tieTolerance");
  const seed = textOption(raw, "seed");
  const concurrency = textOption(raw, "concurrency");
  const budget = textOption(raw, "budget");
  const target = chooseTarget(functionArg, raw, cwd);
  refuseEnvFile(raw);
  checkTargetFlags(target, raw);
  checkRunFlagsApply(raw, target);
  checkDependents(raw, RUN_DEPENDENTS);
  const settings: RunSettings = {
    functionArg,
    target,
    createTarget: target.configure(raw),
    sizes,
    memory: memory === undefined ? "default" : /\d-|:/.test(memory) ? "range" : "list",
    invocationsGiven: invocationsText !== undefined,
    budget: budget === undefined ? undefined : parsePositiveInt("--budget", budget),
    invocations:
      invocationsText === undefined
        ? DEFAULT_INVOCATIONS
        : parsePositiveInt("--invocations", invocationsText),
    payloads: checkPayloadSizes(await readPayloads(raw, cwd)),
    concurrency: concurrency === undefined ? 1 : parsePositiveInt("--concurrency", concurrency),
    strategy: oneOf("--strategy", textOption(raw, "strategy") ?? "cost", STRATEGIES),
    balancedTolerance:
      tolerance === undefined ? undefined : parseFraction("--balanced-tolerance", tolerance),
    tieTolerance:
      tie === undefined
        ? undefined
        : parseFraction("--tie-tolerance", tie, { max: MAX_TIE_TOLERANCE }),
    coldStartRate: await parseColdStartRate(raw, cwd, target.kind),
    billInit: raw.billInit !== false,
    verbose: raw.verbose === true,
    maxP95Ms:
      maxP95 === undefined ? undefined : parsePositiveNumber("--max-p95", maxP95, "ms", "500"),
    region: textOption(raw, "region"),
    architecture: textOption(raw, "architecture"),
    pricePerGbSecond:
      price === undefined
        ? undefined
        : parsePositiveNumber("--price-per-gb-second", price, "USD", "0.0000166667"),
    pricePerRequest:
      request === undefined
        ? undefined
        : parsePositiveNumber("--price-per-request", request, "USD", "0.0000002"),
    seed: seed === undefined ? 1 : parseNonNegativeInt("--seed", seed),
    timeoutSeconds,
    output,
    ...parseBaselineOptions(raw),
    out: textOption(raw, "out"),
    quiet: raw.quiet === true,
    yes: raw.yes === true,
    pauseMs: textOption(raw, "pause") === undefined ? 0 : parsePause(textOption(raw, "pause")!),
  };
  if (settings.yes && usesPlanner(settings)) {
    throw new UsageError(
      "--yes lets a fixed grid of more than 300 invocations run, and this run has none: the planner spends a budget",
      {
        hint: `drop --yes; the planner spends --budget ${settings.budget ?? DEFAULT_BUDGET} (a --memory list or -n makes a fixed grid)`,
      },
    );
  }
  return settings;
}

/** The adaptive planner unless a `--memory` list or `-n` asks for a fixed grid (or `--budget` is given). */
export function usesPlanner(
  settings: Pick<RunSettings, "budget" | "memory" | "invocationsGiven">,
): boolean {
  return (
    settings.budget !== undefined || (settings.memory !== "list" && !settings.invocationsGiven)
  );
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
