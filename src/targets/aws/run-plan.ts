import type { Plan } from "../../document/plan.js";
import { GateError } from "../../errors.js";
import { costForDuration } from "../../model/cost.js";
import type { Pricing } from "../../model/pricing.js";

export interface AwsRunPlanInput {
  /** A fixed grid, or a budget the adaptive planner spreads over candidate sizes. */
  plan: Plan;
  /** The timeout the sweep runs with: --timeout, else the function's own (seconds). */
  timeoutSeconds: number;
  pricing: Pricing;
  /** What a typical invocation is assumed to last, without measurements (default 1 s). */
  typicalDurationMs?: number;
}

export interface AwsRunPlan {
  /** Whether sizes are chosen as the sweep goes (a budget): then versions and calls are upper bounds. */
  adaptive: boolean;
  /** API calls per operation, at least (the update waiter may poll GetFunction more than once). */
  calls: Record<string, number>;
  totalCalls: number;
  /** Versions published, one per size (all deleted by the restore). */
  versions: number;
  invocations: number;
  estimate: {
    typicalDurationMs: number;
    typicalUsd: number;
    /** Every invocation running until the timeout, at the largest sizes. */
    worstCaseDurationMs: number;
    worstCaseUsd: number;
  };
}

function costOf(
  steps: readonly { memoryMb: number; invocations: number }[],
  ms: number,
  pricing: Pricing,
) {
  let usd = 0;
  for (const step of steps) usd += step.invocations * costForDuration(step.memoryMb, ms, pricing);
  return usd;
}

/** How many invocations go to which size: exact for a grid; for a budget, the worst spread. */
function stepsOf(plan: Plan): {
  typical: { memoryMb: number; invocations: number }[];
  worst: { memoryMb: number; invocations: number }[];
  sizes: number;
} {
  const unique = [...new Set(plan.sizes)].sort((a, b) => a - b);
  switch (plan.kind) {
    case "grid": {
      const steps = unique.map((memoryMb) => ({ memoryMb, invocations: plan.invocationsPerSize }));
      return { typical: steps, worst: steps, sizes: unique.length };
    }
    case "adaptive": {
      const largest = unique.at(-1) ?? 128;
      const perSize = plan.budget / Math.max(1, unique.length);
      return {
        typical: unique.map((memoryMb) => ({ memoryMb, invocations: perSize })),
        worst: [{ memoryMb: largest, invocations: plan.budget }],
        sizes: Math.min(unique.length, plan.budget),
      };
    }
  }
}

/**
 * What a sweep on AWS will do and cost, without calling AWS beyond reading
 * the configuration: the dry run. Lambda bills a timed-out invocation up to
 * the timeout, so the worst case has every invocation run that long.
 */
export function planAwsRun(input: AwsRunPlanInput): AwsRunPlan {
  const { typical, worst, sizes } = stepsOf(input.plan);
  const invocations = typical.reduce((sum, step) => sum + step.invocations, 0);
  const calls: Record<string, number> = {
    GetFunctionConfiguration: 1,
    UpdateFunctionConfiguration: sizes + 1,
    // waitUntilFunctionUpdatedV2 polls GetFunction: at least once per update, and once more in restore.
    GetFunction: sizes + 2,
    PublishVersion: sizes,
    Invoke: Math.round(invocations),
    ListVersionsByFunction: 1,
    DeleteFunction: sizes,
  };
  const typicalDurationMs = input.typicalDurationMs ?? 1000;
  const worstCaseDurationMs = input.timeoutSeconds * 1000;
  return {
    adaptive: input.plan.kind === "adaptive",
    calls,
    totalCalls: Object.values(calls).reduce((a, b) => a + b, 0),
    versions: sizes,
    invocations: Math.round(invocations),
    estimate: {
      typicalDurationMs,
      typicalUsd: costOf(typical, Math.min(typicalDurationMs, worstCaseDurationMs), input.pricing),
      worstCaseDurationMs,
      worstCaseUsd: costOf(worst, worstCaseDurationMs, input.pricing),
    },
  };
}

/** --max-cost: refuses a sweep that could cost more (exit 3), before anything changes. */
export function checkMaxCost(plan: AwsRunPlan, maxCostUsd: number): void {
  if (plan.estimate.worstCaseUsd <= maxCostUsd) return;
  throw new GateError(
    `the sweep could cost up to $${plan.estimate.worstCaseUsd.toFixed(4)} (${plan.invocations} invocations running up to ${plan.estimate.worstCaseDurationMs / 1000} s each), above --max-cost $${maxCostUsd}`,
    {
      hint: "lower -n or --budget, drop the largest --memory sizes, give a shorter --timeout, or raise --max-cost",
    },
  );
}

/** The dry run's text: calls, versions, estimate. */
export function formatAwsRunPlan(functionName: string, plan: AwsRunPlan): string {
  const lines = [
    `dry run: nothing was changed on ${functionName}`,
    plan.adaptive
      ? `a sweep would publish up to ${plan.versions} versions and make up to about ${plan.totalCalls} API calls:`
      : `a sweep would publish ${plan.versions} versions and make about ${plan.totalCalls} API calls:`,
    ...Object.entries(plan.calls).map(([operation, count]) => `  ${operation.padEnd(28)} ${count}`),
    `estimated cost of ${plan.invocations} invocations: ~$${plan.estimate.typicalUsd.toFixed(6)} if each runs ${plan.estimate.typicalDurationMs} ms, at most $${plan.estimate.worstCaseUsd.toFixed(6)} if each runs until its ${plan.estimate.worstCaseDurationMs / 1000} s timeout`,
  ];
  return `${lines.join("\n")}\n`;
}
