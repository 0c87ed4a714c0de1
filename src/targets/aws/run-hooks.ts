import type { ResultDocument } from "../../document/result.js";
import type { PreflightContext, RestoreReport } from "../target.js";
import { applyToAlias, applyToFunction } from "./apply.js";
import type { AwsTarget } from "./aws-target.js";
import { conflictError, describeRestore, type RestoreOutcome } from "./restore.js";
import { checkMaxCost, formatAwsRunPlan, planAwsRun } from "./run-plan.js";

/** What the user asked the aws target to do besides sweeping. */
export interface AwsRunFlags {
  /** --dry-run: print the calls and the estimate, change nothing. */
  dryRun: boolean;
  /** --max-cost USD: refuse a sweep whose worst case costs more (exit 3). */
  maxCostUsd: number | undefined;
  /** --apply: keep the recommendation on the function. */
  apply: boolean;
  /** --apply-alias NAME: publish the recommendation and point this alias at it. */
  applyAlias: string | undefined;
  /** --timeout, when given: the sweep's timeout and so the worst case. */
  timeoutSeconds: number | undefined;
}

/** Before the sweep: --max-cost refuses (GateError) and --dry-run ends the run with its plan. */
export async function awsPreflight(
  flags: AwsRunFlags,
  context: PreflightContext,
): Promise<{ output: string } | undefined> {
  if (!flags.dryRun && flags.maxCostUsd === undefined) return undefined;
  const plan = planAwsRun({
    plan: context.plan,
    timeoutSeconds: flags.timeoutSeconds ?? context.info.currentTimeoutSeconds ?? 3,
    pricing: context.pricing,
  });
  if (flags.maxCostUsd !== undefined) checkMaxCost(plan, flags.maxCostUsd);
  if (!flags.dryRun) return undefined;
  return {
    output: context.json
      ? `${JSON.stringify({ function: context.info.name, dryRun: plan }, null, 2)}\n`
      : formatAwsRunPlan(context.info.name, plan),
  };
}

/** After the sweep: --apply or --apply-alias the recommendation; lines saying before -> after. */
export async function awsApply(
  target: AwsTarget,
  flags: AwsRunFlags,
  doc: ResultDocument,
): Promise<string[]> {
  if (!flags.apply && flags.applyAlias === undefined) return [];
  const recommendation = doc.recommendation;
  if (recommendation === null) return ["nothing applied: there is no recommendation"];
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
    ? [`applied to ${where}: ${show(outcome.before)} → ${show(outcome.after)}`]
    : [`nothing applied to ${where}`];
  // The restore's own warnings are reported by restoreReport().
  const fromRestore = new Set(outcome.restore.warnings);
  for (const warning of outcome.warnings) {
    if (!fromRestore.has(warning)) lines.push(`warning: ${warning}`);
  }
  return lines;
}

/** What the CLI prints after the run's restore: a summary, warnings, and someone else's change as an error. */
export function restoreReportOf(
  outcome: RestoreOutcome | undefined,
  functionName: string,
): RestoreReport {
  if (outcome === undefined) return { summary: `${functionName} was not changed`, warnings: [] };
  return {
    summary: describeRestore(outcome),
    warnings: outcome.warnings,
    ...(outcome.configuration === "changed-by-someone-else" && {
      conflict: conflictError(outcome),
    }),
  };
}
