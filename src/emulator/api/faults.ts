import { createRandom } from "../../model/random.js";

/**
 * What an injected fault does: answer an HTTP error in the API's format,
 * drop the connection before the call runs, run the call and then drop the
 * connection (its answer is lost: the client cannot tell whether it ran),
 * hold the call for `delayMs` before running it as usual, or run it and hold
 * its answer that long (the call has taken effect; the client waits).
 */
export type FaultKind =
  | "429"
  | "409"
  | "500"
  | "drop"
  | "drop-after-run"
  | "delay"
  | "delay-after-run";

export interface FaultSpec {
  /** An API operation name: `Invoke`, `UpdateFunctionConfiguration`, `FilterLogEvents`, ... */
  operation: string;
  kind: FaultKind;
  /** How many calls get the fault (default 1, or no limit with `rate`). */
  times?: number;
  /** Let this many calls of the operation through first (default 0). */
  after?: number;
  /** Each call gets the fault with this probability, drawn from `seed` (default: every call). */
  rate?: number;
  seed?: number;
  /** For `delay` and `delay-after-run`: how long to hold the call (default 1,000 ms). */
  delayMs?: number;
}

export type FaultPlan = readonly FaultSpec[];

const KINDS: readonly FaultKind[] = [
  "429",
  "409",
  "500",
  "drop",
  "drop-after-run",
  "delay",
  "delay-after-run",
];

/** Reads a fault from untrusted JSON (the control endpoint); a message when it is not one. */
export function parseFaultSpec(value: unknown): FaultSpec | string {
  const spec = value as Partial<FaultSpec> | null;
  if (spec === null || typeof spec !== "object") return "a fault is a JSON object";
  if (typeof spec.operation !== "string" || spec.operation === "") {
    return "operation must name an API operation, e.g. Invoke";
  }
  if (!KINDS.includes(spec.kind as FaultKind)) return `kind must be one of ${KINDS.join(", ")}`;
  const whole = (name: "times" | "after" | "seed" | "delayMs", min: number) => {
    const n = spec[name];
    return n === undefined || (Number.isInteger(n) && (n as number) >= min);
  };
  if (!whole("times", 1)) return "times must be a whole number of calls, 1 or more";
  if (!whole("after", 0)) return "after must be a whole number of calls, 0 or more";
  if (!whole("seed", 0)) return "seed must be a whole number, 0 or more";
  if (!whole("delayMs", 0)) return "delayMs must be a whole number of milliseconds";
  const rate = spec.rate;
  if (rate !== undefined && !(typeof rate === "number" && rate > 0 && rate <= 1)) {
    return "rate must be a probability above 0 and at most 1, e.g. 0.3";
  }
  return {
    operation: spec.operation,
    kind: spec.kind as FaultKind,
    ...(spec.times !== undefined && { times: spec.times }),
    ...(spec.after !== undefined && { after: spec.after }),
    ...(rate !== undefined && { rate }),
    ...(spec.seed !== undefined && { seed: spec.seed }),
    ...(spec.delayMs !== undefined && { delayMs: spec.delayMs }),
  };
}

/** The fault a call gets. */
export interface Fault {
  kind: FaultKind;
  delayMs: number;
}

interface Rule {
  spec: FaultSpec;
  /** Calls still to let through before the rule applies. */
  skip: number;
  /** Calls the rule may still fault. */
  left: number;
  draw: (() => number) | undefined;
}

/**
 * Test hooks: faults for the next calls of each operation (in the order they
 * were injected), and a count of every call per operation, faulted ones included.
 */
export class FaultInjector {
  private rules: Rule[] = [];
  private readonly counts = new Map<string, number>();

  constructor(plan: FaultPlan = []) {
    for (const spec of plan) this.inject(spec);
  }

  inject(spec: FaultSpec): void {
    this.rules.push({
      spec,
      skip: spec.after ?? 0,
      left: spec.times ?? (spec.rate === undefined ? 1 : Number.POSITIVE_INFINITY),
      draw: spec.rate === undefined ? undefined : createRandom(spec.seed ?? 1),
    });
  }

  /** Forgets the faults (and, with `counts`, the call counters too). */
  clear(options: { counts?: boolean } = {}): void {
    this.rules = [];
    if (options.counts === true) this.counts.clear();
  }

  calls(operation: string): number {
    return this.counts.get(operation) ?? 0;
  }

  allCalls(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  /** Counts a call and returns the fault it should get, if any. */
  take(operation: string): Fault | undefined {
    this.counts.set(operation, this.calls(operation) + 1);
    let fault: Fault | undefined;
    for (const rule of this.rules) {
      if (rule.spec.operation !== operation || rule.left <= 0) continue;
      if (rule.skip > 0) {
        rule.skip -= 1;
        continue;
      }
      // A rate rule draws for every call it sees, so its sequence does not depend on the others.
      const drawn = rule.draw === undefined || rule.draw() < (rule.spec.rate ?? 1);
      if (fault !== undefined || !drawn) continue;
      rule.left -= 1;
      fault = { kind: rule.spec.kind, delayMs: rule.spec.delayMs ?? 1000 };
    }
    this.rules = this.rules.filter((rule) => rule.left > 0);
    return fault;
  }
}
