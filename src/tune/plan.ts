import type { GridPlan } from "../document/plan.js";
import type { ReportRecord } from "../logs/record.js";

/** One step of a sweep: measure this size this many more times. */
export interface PlanStep {
  memoryMb: number;
  invocations: number;
}

/** Everything measured so far, by memory size, in the order sizes were first measured. */
export type Observations = ReadonlyMap<number, readonly ReportRecord[]>;

/**
 * Chooses what to measure next from what has been measured: a fixed grid
 * ignores the observations, an adaptive planner (`--budget`) uses them
 * (src/tune/planners.ts makes each from its plan). A size may come back in a later step; its records then add up.
 */
export interface Planner {
  /** How many steps there will be, when known in advance (for progress). */
  readonly totalSteps: number | undefined;
  /** The sizes it will measure, when known in advance (a grid), so they can be checked first. */
  readonly plannedSizes?: readonly number[];
  /**
   * False when it never comes back to a size (a grid): the sweep then releases
   * each size after its step. Otherwise every size stays prepared to the end.
   */
  readonly revisits?: boolean;
  /** The next step, or undefined when the sweep is done. */
  next(observations: Observations): PlanStep | undefined;
}

/** The grid plan's planner: each size in turn, the same number of calls each. */
export function createFixedGridPlanner(plan: Omit<GridPlan, "kind">): Planner {
  if (!Number.isInteger(plan.invocationsPerSize) || plan.invocationsPerSize < 1) {
    throw new RangeError(
      `invocationsPerSize must be a whole number above 0, not ${plan.invocationsPerSize}`,
    );
  }
  const sizes = [...plan.sizes];
  let index = 0;
  return {
    totalSteps: sizes.length,
    plannedSizes: sizes,
    revisits: false,
    next() {
      const memoryMb = sizes[index];
      if (memoryMb === undefined) return undefined;
      index++;
      return { memoryMb, invocations: plan.invocationsPerSize };
    },
  };
}
