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
 * Refuses a generic `run` flag the target `<function>` runs on has no use for
 * (another target's own flags are refused by the registry's checkTargetFlags).
 * An ignored flag would let a user believe it did something.
 */
export function checkRunFlagsApply(raw: RawOptions, target: TargetDefinition): void {
  for (const restricted of RUN_RESTRICTED) {
    if (restricted.targets.includes(target.kind) || !given(raw, restricted.flags)) continue;
    throw new UsageError(`${restricted.flags} does not apply to the ${target.kind} target`, {
      hint: `drop ${restricted.flags}: ${restricted.why}`,
    });
  }
}

/**
 * `--env-file`, which users reach for, is Node.js's own: Node 20 and 22 read it
 * anywhere on the command line and load the file into the tool's environment
 * (nodejs/node#54232). It is registered hidden only to say so.
 */
export function refuseEnvFile(raw: RawOptions): void {
  if (raw.envFile === undefined) return;
  throw new UsageError("--env-file is Node.js's own flag, not lambda-tune's", {
    hint: "give the function's environment file as --env-vars FILE (dotenv or SAM CLI's JSON); Node.js has already read the --env-file into lambda-tune's own environment, so check it held nothing you meant only for the function",
  });
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
