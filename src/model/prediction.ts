import type { ModelFit } from "../document/result.js";
import { costForDuration } from "./cost.js";
import { predict } from "./fit.js";
import type { Pricing } from "./pricing.js";

export interface PredictedPoint {
  memoryMb: number;
  /** The fitted median duration, never below zero. */
  durationMs: number;
  /** What an invocation of that duration would cost, billed to the next 1 ms. */
  costPerInvocationUsd: number;
}

/**
 * The fitted curve's duration and cost at some sizes, for charts and for a
 * planner choosing sizes to measure next. A prediction only: a size is
 * recommended once measured (LAMBDA-FACTS.md, "Model notes").
 */
export function predictedCurve(
  fit: Pick<ModelFit, "name" | "parameters">,
  sizes: readonly number[],
  pricing: Pricing,
): PredictedPoint[] {
  return sizes.map((memoryMb) => {
    const durationMs = Math.max(0, predict(fit, memoryMb));
    return {
      memoryMb,
      durationMs,
      costPerInvocationUsd: costForDuration(memoryMb, durationMs, pricing),
    };
  });
}
