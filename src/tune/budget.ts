import { UsageError } from "../errors.js";
import { formatSizes } from "../format.js";
import { MIN_WARM_CALLS_TO_COMPARE } from "../model/recommend.js";
import { probeSizes } from "./probe-sizes.js";

/** The budget when the user names neither sizes nor counts (the planner's benchmark point). */
export const DEFAULT_BUDGET = 20;

export interface BudgetInput {
  /** `--budget`. */
  budget: number;
  /** `-n`, when given: a fixed count per size, which a budget replaces. */
  invocations?: number;
  /** Sizes the planner may measure. */
  sizes: readonly number[];
  /** Invocations each size can serve when limited (replay: the recorded ones). */
  capacity?: ReadonlyMap<number, number>;
  /** Payloads in the mix (`--payload-file`); 1 when absent. */
  payloads?: number;
  /** Sizes the planner must measure enough to compare (the gated size). */
  anchors?: readonly number[];
}

export interface CheckedBudget {
  /** What the planner may spend: the budget, or what the target can serve when that is less. */
  budget: number;
  /** For the result's warnings, e.g. that the recording holds fewer invocations. */
  notes: string[];
}

/** One call at each probe size: the least a budget must allow. */
export function minimumBudget(sizes: readonly number[]): number {
  return probeSizes(sizes).length;
}

/**
 * Checks `--budget` against the other flags and the sizes: refuses it with
 * `-n`, and below one probe round; caps it, with a note, where the target
 * (replay) holds fewer invocations than the budget.
 */
export function validateBudget(input: BudgetInput): CheckedBudget {
  const { budget, sizes } = input;
  if (input.invocations !== undefined) {
    throw new UsageError("--budget and -n/--invocations cannot be used together", {
      hint:
        "drop -n to let the planner choose how often to call each size within --budget, " +
        "or drop --budget to call every size of --memory the same number of times",
    });
  }
  const minimum = minimumBudget(sizes);
  const payloads = input.payloads ?? 1;
  // Comparing two sizes needs a warm call of every payload at both (model/payload-mix.ts).
  const withMix = minimum + 2 * payloads;
  if (payloads > 1 && budget < withMix) {
    throw new UsageError(
      `${payloads} payloads are more than --budget ${budget} allows: comparing two sizes needs a warm ` +
        `call of each payload at both, on top of the ${minimum} probe calls (${minimum} + 2 x ${payloads} = ${withMix})`,
      {
        hint: `give --budget ${withMix} or more, or fewer payloads (merge rare events, or keep the common ones)`,
      },
    );
  }
  if (budget < minimum) {
    throw new UsageError(
      `--budget ${budget} is below the ${minimum} invocations one probe round needs ` +
        `(one call at each of ${formatSizes(probeSizes(sizes))})`,
      {
        hint: `give --budget ${minimum} or more; 20 finds the cheapest size within ~1% on real functions`,
      },
    );
  }
  checkAnchors(input, minimum, payloads);
  if (input.capacity === undefined) return { budget, notes: [] };
  let available = 0;
  for (const size of sizes) available += input.capacity.get(size) ?? 0;
  if (available >= budget) return { budget, notes: [] };
  if (available < minimum) {
    throw new UsageError(
      `the recording holds only ${available} invocations at ${formatSizes(sizes)}, fewer than the ${minimum} one probe round needs`,
      { hint: "record more invocations, or allow more memory sizes with --memory" },
    );
  }
  return {
    budget: available,
    notes: [
      `--budget ${budget} is more than the recording holds at ${formatSizes(sizes)}: ` +
        `the sweep spends at most the ${available} invocations recorded there`,
    ],
  };
}

/**
 * An anchor (the gated size) needs its warm calls on top of the probe round:
 * a cold first call unless it is a probe size, then MIN_WARM_CALLS_TO_COMPARE
 * warm ones (a round of the mix each, with several payloads).
 */
function checkAnchors(input: BudgetInput, minimum: number, payloads: number): void {
  const probes = probeSizes(input.sizes);
  const warm = Math.max(MIN_WARM_CALLS_TO_COMPARE, payloads);
  let needed = minimum;
  for (const anchor of input.anchors ?? []) needed += warm + (probes.includes(anchor) ? 0 : 1);
  if (input.budget >= needed) return;
  const gated = formatSizes(input.anchors ?? []);
  throw new UsageError(
    `--budget ${input.budget} cannot both probe and compare the gated size ${gated}: ` +
      `that needs ${minimum} probe calls and ${needed - minimum} there (a cold first call, then ${warm} warm)`,
    { hint: `give --budget ${needed} or more` },
  );
}
