import { UsageError } from "../errors.js";
import { formatSizes } from "../format.js";
import type { ReportRecord } from "../logs/record.js";
import { type PayloadMix, payloadIndexAt } from "../model/payload-mix.js";
import type { PreparedSize, Target } from "../targets/target.js";
import { runBounded } from "./bounded.js";
import type { Planner } from "./plan.js";

export type SweepEvent =
  | { type: "size-start"; memoryMb: number; index: number; total: number | undefined }
  | { type: "invocation"; memoryMb: number; done: number; planned: number }
  | { type: "size-done"; memoryMb: number };

export interface SweepOptions {
  target: Target;
  /** Chooses each step: a fixed grid, or an adaptive planner that uses what it has seen. */
  planner: Planner;
  payload: string;
  /**
   * Several payloads: each size's k-th call gets `payloads[payloadIndexAt(mix, k)]`,
   * so every size gets the same mix in the same seeded order; `payload` is then unused.
   */
  mix?: { payloads: readonly string[]; mix: PayloadMix };
  /** Invocations in flight at once within a size. */
  concurrency: number;
  onProgress?: (event: SweepEvent) => void;
  /** Aborting stops new invocations, waits for those in flight, releases the size and throws. */
  signal?: AbortSignal;
}

export interface SweepResult {
  /** REPORT records by memory size, sizes in the order measured, records in the order invoked. */
  records: Map<number, ReportRecord[]>;
  /** Invocations made, over all sizes. */
  invocations: number;
  /** Things the user should know about a size, e.g. fewer invocations than planned. */
  notes: Map<number, string[]>;
}

function checkSizesAvailable(target: Target, sizes: readonly number[]): void {
  const available = target.availableSizes();
  if (available === undefined) return;
  const missing = sizes.filter((size) => !available.includes(size));
  if (missing.length === 0) return;
  throw new UsageError(`the ${target.kind} target has nothing at ${formatSizes(missing)}`, {
    hint: `it has ${formatSizes(available)}; choose --memory among those`,
  });
}

/**
 * Measures a function across memory sizes: for each step of the plan, prepare
 * the size (once), invoke it with bounded concurrency; release every size at
 * the end (a grid's after its step). Sizes go one after
 * another (aws: one configuration change at a time). Exceptions from the
 * target are bugs or configuration errors: the size is released and the error
 * propagates. The caller restores the target, also on error.
 */
export async function runSweep(options: SweepOptions): Promise<SweepResult> {
  const { target, planner, payload, mix, concurrency, onProgress, signal } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number above 0, not ${concurrency}`);
  }
  if (planner.plannedSizes !== undefined) checkSizesAvailable(target, planner.plannedSizes);
  const records = new Map<number, ReportRecord[]>();
  const notes = new Map<number, string[]>();
  let invocations = 0;

  // Sizes stay prepared until the sweep ends, so a planner that comes back to a
  // size finds its sandboxes warm (local) or its version published (aws), as
  // Lambda keeps a version's environments warm, and a return visit is never a
  // new cold start. A planner that never comes back (a grid) lets each go at once.
  const keepOpen = planner.revisits !== false;
  const open = new Map<number, PreparedSize>();
  const release = async (memoryMb: number) => {
    const prepared = open.get(memoryMb);
    open.delete(memoryMb);
    await prepared?.release();
  };
  try {
    for (let index = 0; ; index++) {
      signal?.throwIfAborted();
      const step = planner.next(records);
      if (step === undefined) break;
      const { memoryMb } = step;
      onProgress?.({ type: "size-start", memoryMb, index, total: planner.totalSteps });

      let prepared = open.get(memoryMb);
      if (prepared === undefined) {
        prepared = await target.prepare(memoryMb);
        open.set(memoryMb, prepared);
      }
      const capacity = target.capacity(memoryMb);
      const planned = Math.min(step.invocations, capacity ?? step.invocations);
      if (planned < step.invocations) {
        const note = `${target.kind}: only ${capacity} records left at ${memoryMb} MB; used ${planned} of ${step.invocations}`;
        notes.set(memoryMb, [...(notes.get(memoryMb) ?? []), note]);
      }

      let done = 0;
      const invoke = prepared.invoke.bind(prepared);
      const before = records.get(memoryMb)?.length ?? 0;
      const eventFor = (index: number) =>
        mix === undefined ? payload : mix.payloads[payloadIndexAt(mix.mix, before + index)]!;
      const results = await runBounded(
        planned,
        concurrency,
        async (index) => {
          const invocation = await invoke(eventFor(index));
          done++;
          onProgress?.({ type: "invocation", memoryMb, done, planned });
          return invocation;
        },
        signal,
      );
      records.set(memoryMb, [...(records.get(memoryMb) ?? []), ...results.map((r) => r.record)]);
      invocations += planned;
      if (!keepOpen) await release(memoryMb);
      onProgress?.({ type: "size-done", memoryMb });
    }
  } catch (error) {
    // The first error says more than a failure to clean up after it.
    await Promise.allSettled([...open.keys()].map(release));
    throw error;
  }
  for (const memoryMb of [...open.keys()]) await release(memoryMb);
  return { records, invocations, notes };
}
