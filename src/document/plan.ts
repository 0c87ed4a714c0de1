/**
 * What a sweep is asked to measure, before it runs: a fixed grid (`--memory`
 * list or `-n`), or a budget the adaptive planner spends over candidate sizes.
 * Planners are chosen by `kind` (src/tune/planners.ts).
 */
export type Plan = GridPlan | AdaptivePlan;

/** The same number of invocations at each of a list of sizes. */
export interface GridPlan {
  kind: "grid";
  sizes: readonly number[];
  invocationsPerSize: number;
}

/** At most `budget` invocations, at sizes the planner chooses among `sizes`. */
export interface AdaptivePlan {
  kind: "adaptive";
  budget: number;
  /** The sizes it may choose from (every size Lambda allows, a `--memory` range, a recording's). */
  sizes: readonly number[];
  /** Invocations each size can serve, when limited (replay: the recorded ones). */
  capacity?: ReadonlyMap<number, number>;
  /**
   * Sizes that must end with enough warm calls to compare, whatever the
   * search finds: the size a regression gate checks (src/model/gate.ts).
   */
  anchors?: readonly number[];
}
