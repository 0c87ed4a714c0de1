import type { Plan } from "../document/plan.js";
import type { Strategy } from "../document/result.js";
import type { PayloadMix } from "../model/payload-mix.js";
import type { Pricing } from "../model/pricing.js";
import { createAdaptivePlanner } from "./adaptive-planner.js";
import { createFixedGridPlanner, type Planner } from "./plan.js";

/** What a planner may need beyond its plan. */
export interface PlannerContext {
  pricing: Pricing;
  strategy: Strategy;
  /** `--tie-tolerance`: the planner settles the band the recommendation states. */
  tieTolerance?: number;
  /** Several payloads: the adaptive planner measures in rounds of the mix. */
  mix?: PayloadMix;
}

type PlannerFactories = {
  [K in Plan["kind"]]: (plan: Extract<Plan, { kind: K }>, context: PlannerContext) => Planner;
};

/** Planners by plan kind; adding one is a member of `Plan` and a line here. */
export const planners: PlannerFactories = {
  grid: (plan) => createFixedGridPlanner(plan),
  adaptive: (plan, context) =>
    createAdaptivePlanner({
      budget: plan.budget,
      sizes: plan.sizes,
      pricing: context.pricing,
      strategy: context.strategy,
      ...(context.tieTolerance !== undefined && { tieTolerance: context.tieTolerance }),
      ...(context.mix !== undefined && { mix: context.mix }),
      ...(plan.capacity !== undefined && { capacity: plan.capacity }),
      ...(plan.anchors !== undefined && { anchors: plan.anchors }),
    }),
};

export function createPlanner(plan: Plan, context: PlannerContext): Planner {
  const factory = planners[plan.kind] as (plan: Plan, context: PlannerContext) => Planner;
  return factory(plan, context);
}
