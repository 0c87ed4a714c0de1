/** What an injected fault answers: an HTTP error in the API's format, or a dropped connection. */
export type FaultKind = "429" | "409" | "500" | "drop";

export interface FaultSpec {
  /** An API operation name: `Invoke`, `UpdateFunctionConfiguration`, `FilterLogEvents`, ... */
  operation: string;
  kind: FaultKind;
  /** How many of the next calls of the operation get the fault (default 1). */
  times?: number;
}

export type FaultPlan = readonly FaultSpec[];

const KINDS: readonly FaultKind[] = ["429", "409", "500", "drop"];

/** Reads a fault from untrusted JSON (the control endpoint); a message when it is not one. */
export function parseFaultSpec(value: unknown): FaultSpec | string {
  const spec = value as Partial<FaultSpec> | null;
  if (spec === null || typeof spec !== "object") return "a fault is a JSON object";
  if (typeof spec.operation !== "string" || spec.operation === "") {
    return "operation must name an API operation, e.g. Invoke";
  }
  if (!KINDS.includes(spec.kind as FaultKind)) return `kind must be one of ${KINDS.join(", ")}`;
  if (spec.times !== undefined && (!Number.isInteger(spec.times) || spec.times < 1)) {
    return "times must be a whole number of calls, 1 or more";
  }
  return { operation: spec.operation, kind: spec.kind as FaultKind, times: spec.times ?? 1 };
}

/**
 * Test hooks: faults queued per operation for its next calls, and a count of
 * every call per operation (faulted ones included).
 */
export class FaultInjector {
  private readonly pending = new Map<string, FaultKind[]>();
  private readonly counts = new Map<string, number>();

  constructor(plan: FaultPlan = []) {
    for (const spec of plan) this.inject(spec);
  }

  inject(spec: FaultSpec): void {
    const queue = this.pending.get(spec.operation) ?? [];
    for (let i = 0; i < (spec.times ?? 1); i++) queue.push(spec.kind);
    this.pending.set(spec.operation, queue);
  }

  /** Forgets queued faults (and, with `counts`, the call counters too). */
  clear(options: { counts?: boolean } = {}): void {
    this.pending.clear();
    if (options.counts === true) this.counts.clear();
  }

  calls(operation: string): number {
    return this.counts.get(operation) ?? 0;
  }

  allCalls(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  /** Counts a call and returns the fault it should get, if one is queued. */
  take(operation: string): FaultKind | undefined {
    this.counts.set(operation, this.calls(operation) + 1);
    const queue = this.pending.get(operation);
    const kind = queue?.shift();
    if (queue?.length === 0) this.pending.delete(operation);
    return kind;
  }
}
