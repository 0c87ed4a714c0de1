import type { Plan } from "../document/plan.js";
import { UsageError } from "../errors.js";
import { formatCount } from "../format.js";
import { everyMemorySize } from "../lambda.js";
import type { GatedSize } from "../model/gate.js";
import type { Target } from "../targets/target.js";
import { DEFAULT_BUDGET, validateBudget } from "../tune/budget.js";
import { type RunSettings, usesPlanner } from "./run-options.js";

/** A fixed grid larger than this many invocations needs --yes: it is rarely what was meant. */
export const LARGE_GRID = 300;

export interface ChosenPlan {
  plan: Plan;
  /** For the result's warnings. */
  notes: string[];
}

/**
 * A fixed grid when the user lists sizes (a plain list) or gives -n;
 * otherwise the adaptive planner under a budget, over the `--memory` range
 * (or every size Lambda allows; replay: the recorded ones), because it beats
 * the fixed grid on real measurements (bench/planner.bench.ts). A grid of
 * more than LARGE_GRID invocations needs `yes`. With a baseline, the size
 * the comparison gates (`gated`) is an anchor the planner always measures
 * enough; a gate whose size the run cannot measure is refused before any
 * invocation, unless `--allow-inconclusive`.
 */
export function choosePlan(
  settings: RunSettings,
  target: Target,
  gated?: GatedSize | null,
): ChosenPlan {
  const adaptive = usesPlanner(settings);
  const payloads = settings.payloads.events.length;
  if (!adaptive) {
    // A size's first call is cold on a live target: every payload needs a warm call after it.
    if (payloads > 1 && settings.invocations < payloads + 1) {
      throw new UsageError(
        `${payloads} payloads are more than -n ${settings.invocations} calls at one size allow: ` +
          `each payload needs a warm call there, after the cold first call (${payloads} + 1 = ${payloads + 1})`,
        { hint: `give -n ${payloads + 1} or more, or fewer payloads in --payload-file` },
      );
    }
    const invocations = settings.sizes.length * settings.invocations;
    if (invocations > LARGE_GRID && !settings.yes && target.kind !== "replay") {
      throw new UsageError(
        `--memory and -n ask for ${invocations} invocations (${formatCount(settings.sizes.length, "size")} × ${settings.invocations})`,
        {
          hint: `narrow --memory, lower -n, or let the planner choose within the range (drop -n; --budget N); pass --yes if ${invocations} is what you want`,
        },
      );
    }
    if (gated) checkGateMeasurable(settings, gated, settings.sizes, "--memory leaves it out");
    return {
      plan: { kind: "grid", sizes: settings.sizes, invocationsPerSize: settings.invocations },
      notes: [],
    };
  }
  const available = target.availableSizes();
  const bounds = settings.memory === "default" ? undefined : new Set(settings.sizes);
  const sizes =
    available === undefined
      ? (bounds && settings.sizes) || everyMemorySize()
      : available.filter((size) => bounds === undefined || bounds.has(size));
  const capacity =
    available === undefined
      ? undefined
      : new Map(sizes.map((size) => [size, target.capacity(size) ?? 0]));
  if (gated) {
    const why =
      available !== undefined && !available.includes(gated.memoryMb)
        ? "the recording holds no calls there"
        : "--memory leaves it out";
    checkGateMeasurable(settings, gated, sizes, why);
  }
  const anchors = gated && sizes.includes(gated.memoryMb) ? [gated.memoryMb] : undefined;
  const { budget, notes } = validateBudget({
    budget: settings.budget ?? DEFAULT_BUDGET,
    ...(settings.invocationsGiven && { invocations: settings.invocations }),
    sizes,
    ...(capacity && { capacity }),
    payloads,
    ...(anchors && { anchors }),
  });
  return {
    plan: {
      kind: "adaptive",
      budget,
      sizes,
      ...(capacity && { capacity }),
      ...(anchors && { anchors }),
    },
    notes,
  };
}

/**
 * A gate that could not compare its size fails (src/model/gate.ts): when the
 * run cannot measure that size at all, say so now, before paying for a sweep.
 */
function checkGateMeasurable(
  settings: RunSettings,
  gated: GatedSize,
  sizes: readonly number[],
  why: string,
): void {
  if (settings.failOnRegression === undefined || settings.allowInconclusive) return;
  if (sizes.includes(gated.memoryMb)) return;
  throw new UsageError(
    `the regression gate checks ${gated.memoryMb} MB (the ${gated.basis}), but ${why}, so it would compare nothing`,
    {
      hint: `measure ${gated.memoryMb} MB too (widen --memory or add it to the list), or add --allow-inconclusive to let the gate pass when it cannot compare`,
    },
  );
}
