import type { ModelFit, Tier } from "../document/result.js";
import { formatPercent } from "../format.js";
import { CURVE_MODELS, type CurveModel, type CurvePoint, curveModel } from "./curves.js";
import { failureExclusion } from "./stats.js";

/** Fewer sizes leave nothing to hold out: each candidate fits two points exactly. */
export const MIN_SIZES_FOR_FIT = 3;

/** The fitted model, or null with the reason there is none; `reason` reads as a sentence. */
export interface FitOutcome {
  fit: ModelFit | null;
  reason: string;
}

/**
 * Median warm duration per size, from tiers whose invocations all succeeded
 * and that have a warm call (a first call's Duration is inflated).
 */
export function medianPoints(tiers: readonly Tier[]): CurvePoint[] {
  return tiers
    .filter((tier) => failureExclusion(tier) === undefined && tier.warmInvocations > 0)
    .map((tier) => ({ memoryMb: tier.memoryMb, durationMs: tier.durationMs.median }))
    .sort((a, b) => a.memoryMb - b.memoryMb);
}

/**
 * Leave-one-size-out error: fit without each size in turn and take the mean
 * absolute percentage error of the prediction there (a fraction: 0.05 = 5%).
 * Null when the model cannot be fitted to the remaining sizes.
 */
export function leaveOneSizeOutError(
  model: CurveModel,
  points: readonly CurvePoint[],
): number | null {
  if (points.length - 1 < model.minPoints) return null;
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    const held = points[i]!;
    const parameters = model.fit(points.filter((_, j) => j !== i));
    if (parameters === null) return null;
    const predicted = model.predict(parameters, held.memoryMb);
    if (!Number.isFinite(predicted)) return null;
    sum += Math.abs(predicted - held.durationMs) / held.durationMs;
  }
  return sum / points.length;
}

/**
 * Fits every candidate curve of median duration vs memory and keeps the one
 * with the lowest leave-one-size-out error. For explanation and prediction
 * only: measured sizes decide the recommendation
 * (docs/lambda-facts.md, "Cost curves").
 */
export function fitDurationCurve(
  points: readonly CurvePoint[],
  models: readonly CurveModel[] = CURVE_MODELS,
): FitOutcome {
  const sizes = new Set(points.map((p) => p.memoryMb));
  if (sizes.size !== points.length) throw new Error("fitDurationCurve needs one point per size");
  if (points.length < MIN_SIZES_FOR_FIT) {
    return {
      fit: null,
      reason: `no curve fitted: ${points.length} measured size${points.length === 1 ? "" : "s"} without errors, at least ${MIN_SIZES_FOR_FIT} are needed to hold one out`,
    };
  }
  const scored: { model: CurveModel; error: number }[] = [];
  const unfitted: string[] = [];
  for (const model of models) {
    const error = leaveOneSizeOutError(model, points);
    if (error === null) unfitted.push(model.name);
    else scored.push({ model, error });
  }
  // Stable sort: equal errors keep the order of `models` (simpler first).
  scored.sort((a, b) => a.error - b.error);
  const chosen = scored[0];
  const parameters = chosen?.model.fit(points) ?? null;
  if (chosen === undefined || parameters === null) {
    return { fit: null, reason: `no curve could be fitted to ${points.length} sizes` };
  }
  const others = scored.slice(1);
  const fit: ModelFit = {
    name: chosen.model.name,
    formula: chosen.model.formula,
    parameters,
    error: chosen.error,
    candidates: others.map(({ model, error }) => ({ name: model.name, error })),
  };
  let reason =
    `${fit.name} (${fit.formula}) has the lowest leave-one-size-out error over ${points.length} sizes: ` +
    `${formatPercent(fit.error)}`;
  if (others.length > 0) {
    reason += ` (${others.map(({ model, error }) => `${model.name} ${formatPercent(error)}`).join(", ")})`;
  }
  if (unfitted.length > 0) reason += `; too few sizes for ${unfitted.join(", ")}`;
  return { fit, reason };
}

/** The fitted curve's duration (ms) at a memory size. */
export function predict(fit: Pick<ModelFit, "name" | "parameters">, memoryMb: number): number {
  const model = curveModel(fit.name);
  if (model === undefined) throw new Error(`unknown curve model ${fit.name}`);
  return model.predict(fit.parameters, memoryMb);
}
