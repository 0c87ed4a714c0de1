import { UsageError } from "../errors.js";
import type { RawOptions } from "../flags.js";
import { awsTarget } from "./aws/definition.js";
import { localTarget } from "./local/definition.js";
import { replayTarget } from "./replay/definition.js";
import type { TargetDefinition } from "./target.js";

/**
 * Every target, in the order `<function>` is offered to them when --target is
 * not given (the last claims whatever is left). Adding a target is a folder
 * with its definition and a line here (and its name in the result schema).
 */
export const targets: readonly TargetDefinition[] = [replayTarget, localTarget, awsTarget];

export function targetNamed(kind: string): TargetDefinition | undefined {
  return targets.find((target) => target.kind === kind);
}

/** commander's name for a flag's value: `--env-vars <file>` -> envVars, `--no-bill-init` -> billInit. */
function flagName(flags: string): { flag: string; key: string; negated: boolean } {
  const flag = flags.split(/[\s,]+/).find((part) => part.startsWith("--")) ?? flags;
  const negated = flag.startsWith("--no-");
  const words = flag.slice(negated ? 5 : 2).split("-");
  const key = words.map((word, i) => (i === 0 ? word : word[0]?.toUpperCase() + word.slice(1)));
  return { flag, key: key.join(""), negated };
}

/** Refuses a flag only another target takes: it would be ignored on `chosen`. */
export function checkTargetFlags(chosen: TargetDefinition, raw: RawOptions): void {
  const own = new Set(chosen.options.map((option) => flagName(option.flags).key));
  for (const target of targets) {
    if (target === chosen) continue;
    for (const option of target.options) {
      const { flag, key, negated } = flagName(option.flags);
      const value = raw[key];
      const given = negated ? value === false : value !== undefined && value !== false;
      if (!given || own.has(key)) continue;
      throw new UsageError(
        `${flag} applies to the ${target.kind} target, not the ${chosen.kind} target this run uses`,
        {
          hint: `Leave out ${flag}, or run on the ${target.kind} target (<function> as ${target.names}, or --target ${target.kind}).`,
        },
      );
    }
  }
}
