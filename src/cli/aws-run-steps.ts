import type { ResultDocument } from "../document/result.js";
import type { Pricing } from "../model/pricing.js";
import type { FunctionInfo, Target } from "../targets/target.js";
import { MAX_MEMORY_MB, MIN_MEMORY_MB } from "../tune/memory-spec.js";
import { type CliIo, write } from "./io.js";

/** The run options only the aws target reads (RunSettings has them once wired). */
export interface AwsRunFlags {
  dryRun: boolean;
  maxCostUsd: number | undefined;
  apply: boolean;
  applyAlias: string | undefined;
  /** --timeout, when given: the sweep's timeout and so the worst case. */
  timeoutSeconds: number | undefined;
  output: string;
  /** `default` when --memory was not given: an adaptive planner may then choose any size. */
  memory: string;
  sizes: readonly number[];
}

function candidateSizes(flags: AwsRunFlags): readonly number[] {
  if (flags.memory !== "default") return flags.sizes;
  return Array.from({ length: MAX_MEMORY_MB - MIN_MEMORY_MB + 1 }, (_, i) => MIN_MEMORY_MB + i);
}

/**
 * Before the sweep, aws only: --max-cost refuses (GateError) and --dry-run
 * prints the calls and the estimate. True when the run should stop there.
 */
export async function awsPreflight(options: {
  target: Target;
  flags: AwsRunFlags;
  info: FunctionInfo;
  planSummary: ResultDocument["plan"];
  pricing: Pricing;
  io: CliIo;
}): Promise<boolean> {
  const { target, flags, planSummary } = options;
  if (target.kind !== "aws") return false;
  if (!flags.dryRun && flags.maxCostUsd === undefined) return false;
  const { checkMaxCost, formatAwsRunPlan, planAwsRun } = await import("../targets/aws/run-plan.js");
  const plan = planAwsRun({
    plan:
      planSummary.budget !== null
        ? { budget: planSummary.budget, sizes: candidateSizes(flags) }
        : { sizes: planSummary.sizes, invocationsPerSize: planSummary.invocationsPerSize ?? 0 },
    timeoutSeconds: flags.timeoutSeconds ?? options.info.currentTimeoutSeconds ?? 3,
    pricing: options.pricing,
  });
  if (flags.maxCostUsd !== undefined) checkMaxCost(plan, flags.maxCostUsd);
  if (!flags.dryRun) return false;
  await write(
    options.io.stdout,
    flags.output === "json"
      ? `${JSON.stringify({ function: options.info.name, dryRun: plan }, null, 2)}\n`
      : formatAwsRunPlan(options.info.name, plan),
  );
  return true;
}

/** After the sweep, aws only: --apply or --apply-alias the recommendation; prints before -> after. */
export async function awsApply(target: Target, flags: AwsRunFlags, doc: ResultDocument, io: CliIo) {
  if (target.kind !== "aws" || (!flags.apply && flags.applyAlias === undefined)) return;
  const { applyToAlias, applyToFunction } = await import("../targets/aws/apply.js");
  const { isAwsTarget } = await import("../targets/aws/aws-target.js");
  if (!isAwsTarget(target)) return;
  const recommendation = doc.recommendation;
  if (recommendation === null) {
    await write(io.stderr, "lambda-tune: nothing applied: there is no recommendation\n");
    return;
  }
  const settings = {
    memoryMb: recommendation.memoryMb,
    timeoutSeconds: recommendation.timeoutSeconds,
  };
  const outcome =
    flags.applyAlias !== undefined
      ? await applyToAlias(target, flags.applyAlias, settings)
      : await applyToFunction(target, settings);
  const where =
    outcome.appliedTo === "function" ? doc.function : `alias ${outcome.appliedTo.alias}`;
  const show = (c: { memoryMb: number; timeoutSeconds: number; version?: string } | null) =>
    c === null
      ? "(new)"
      : `${c.memoryMb} MB, ${c.timeoutSeconds} s${c.version ? ` (version ${c.version})` : ""}`;
  const lines = outcome.applied
    ? [`applied to ${where}: ${show(outcome.before)} -> ${show(outcome.after)}`]
    : [`nothing applied to ${where}`];
  // The restore's own warnings are printed by awsRestoreReport.
  const fromRestore = new Set(outcome.restore.warnings);
  for (const warning of outcome.warnings) {
    if (!fromRestore.has(warning)) lines.push(`warning: ${warning}`);
  }
  await write(io.stderr, lines.map((line) => `lambda-tune: ${line}\n`).join(""));
}

/** After restore(), aws only: what the user must know (someone else's change kept, versions kept). */
export async function awsRestoreReport(target: Target, io: CliIo): Promise<void> {
  if (target.kind !== "aws") return;
  const { isAwsTarget } = await import("../targets/aws/aws-target.js");
  if (!isAwsTarget(target)) return;
  const warnings = target.restoreOutcome()?.warnings ?? [];
  if (warnings.length === 0) return;
  await write(io.stderr, warnings.map((w) => `lambda-tune: warning: ${w}\n`).join(""));
}
