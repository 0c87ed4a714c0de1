import { UsageError } from "../errors.js";
import type { RawOptions } from "../flags.js";
import type { TargetDefinition } from "../targets/target.js";

/** The options key commander gives a flag (`--max-cost <usd>` -> maxCost), and whether it is `--no-`. */
export function optionKey(flags: string): { key: string; flag: string; negated: boolean } {
  const long = flags.split(/[ ,|]+/).find((part) => part.startsWith("--")) ?? flags;
  const negated = long.startsWith("--no-");
  const name = long.slice(negated ? 5 : 2);
  return { key: name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), flag: long, negated };
}

/** Whether the user gave the flag (a `--no-` flag is given when its value is false). */
export function given(raw: RawOptions, flags: string): boolean {
  const { key, negated } = optionKey(flags);
  const value = raw[key];
  if (negated) return value === false;
  if (Array.isArray(value)) return value.length > 0;
  return value !== undefined && value !== false;
}

/** A generic `run` flag that only some targets use, and what the others would do with it. */
interface Restricted {
  flags: string;
  targets: readonly string[];
  why: string;
}

const RUN_RESTRICTED: readonly Restricted[] = [
  {
    flags: "--timeout",
    targets: ["local", "aws"],
    why: "the replay target draws recorded REPORT lines, whose durations no timeout can change",
  },
  {
    flags: "--payload",
    targets: ["local", "aws"],
    why: "the replay target invokes nothing, so no event is sent",
  },
  {
    flags: "--payload-file",
    targets: ["local", "aws"],
    why: "the replay target invokes nothing, so no event is sent",
  },
  {
    flags: "--concurrency",
    targets: ["local", "aws"],
    why: "the replay target draws recorded lines one after another; there is nothing to run at once",
  },
];

/**
 * Refuses a `run` flag that does not apply to the target `<function>` runs
 * on: another target's own flag, or a generic one this target has no use for.
 * An ignored flag would let a user believe it did something.
 */
export function checkRunFlagsApply(
  raw: RawOptions,
  target: TargetDefinition,
  all: readonly TargetDefinition[],
): void {
  for (const other of all) {
    if (other === target) continue;
    for (const option of other.options) {
      if (!given(raw, option.flags)) continue;
      const { flag } = optionKey(option.flags);
      throw new UsageError(
        `${flag} is a flag of the ${other.kind} target, and this run is on the ${target.kind} target`,
        {
          hint: `drop ${flag}, or run on the ${other.kind} target (${other.names}; --target ${other.kind})`,
        },
      );
    }
  }
  for (const restricted of RUN_RESTRICTED) {
    if (restricted.targets.includes(target.kind) || !given(raw, restricted.flags)) continue;
    throw new UsageError(`${restricted.flags} does not apply to the ${target.kind} target`, {
      hint: `drop ${restricted.flags}: ${restricted.why}`,
    });
  }
}

/** A flag that only means something with another one, and what to do about it. */
export interface Dependent {
  flags: string;
  /** Whether the flag it depends on (or the mode it needs) is there. */
  needs: (raw: RawOptions) => boolean;
  problem: string;
  hint: string;
}

/** Refuses a flag given without what it modifies (`--force` without `--baseline`). */
export function checkDependents(raw: RawOptions, dependents: readonly Dependent[]): void {
  for (const dependent of dependents) {
    if (given(raw, dependent.flags) && !dependent.needs(raw)) {
      throw new UsageError(dependent.problem, { hint: dependent.hint });
    }
  }
}
