import type { ResultDocument } from "../document/result.js";
import type { Pricing } from "../model/pricing.js";
import type { Target } from "../targets/target.js";
import { createAdaptivePlanner } from "../tune/adaptive-planner.js";
import { validateBudget } from "../tune/budget.js";
import { MAX_MEMORY_MB, MIN_MEMORY_MB } from "../tune/memory-spec.js";
import type { FixedPlan, Planner } from "../tune/plan.js";
import type { RunSettings } from "./run-options.js";

/** The budget when the user names neither sizes nor counts (the planner's benchmark point). */
export const DEFAULT_BUDGET = 20;

export interface ChosenPlan {
  plan: FixedPlan | Planner;
  planSummary: ResultDocument["plan"];
  /** For the result's warnings. */
  notes: string[];
}

function everySize(): number[] {
  return Array.from({ length: MAX_MEMORY_MB - MIN_MEMORY_MB + 1 }, (_, i) => MIN_MEMORY_MB + i);
}

/**
 * A fixed grid when the user lists sizes or gives -n; otherwise the adaptive
 * planner under a budget, over the `--memory` range (or every size Lambda
 * allows; replay: the recorded ones), because it beats the fixed grid on real
 * measurements (bench/planner.bench.ts).
 */
export function choosePlan(settings: RunSettings, target: Target, pricing: Pricing): ChosenPlan {
  const adaptive =
    settings.budget !== undefined || (settings.memory === "default" && !settings.invocationsGiven);
  if (!adaptive) {
    return {
      plan: { sizes: settings.sizes, invocationsPerSize: settings.invocations },
      planSummary: {
        sizes: settings.sizes,
        invocationsPerSize: settings.invocations,
        budget: null,
        seed: settings.seed,
      },
      notes: [],
    };
  }
  const available = target.availableSizes();
  const bounds = settings.memory === "default" ? undefined : new Set(settings.sizes);
  const sizes =
    available === undefined
      ? (bounds && settings.sizes) || everySize()
      : available.filter((size) => bounds === undefined || bounds.has(size));
  const capacity =
    available === undefined
      ? undefined
      : new Map(sizes.map((size) => [size, target.capacity(size) ?? 0]));
  const { budget, notes } = validateBudget({
    budget: settings.budget ?? DEFAULT_BUDGET,
    ...(settings.invocationsGiven && { invocations: settings.invocations }),
    sizes,
    ...(capacity && { capacity }),
  });
  return {
    plan: createAdaptivePlanner({
      budget,
      sizes,
      pricing,
      strategy: settings.strategy,
      ...(capacity && { capacity }),
    }),
    // The sizes are known once the planner has chosen them; tune() fills them in.
    planSummary: { sizes: [], invocationsPerSize: null, budget, seed: settings.seed },
    notes,
  };
}
