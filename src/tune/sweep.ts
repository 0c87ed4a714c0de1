import { setTimeout as sleepFor } from "node:timers/promises";
import { keepsMeasurements, type LambdaTuneError, UsageError } from "../errors.js";
import { formatSizes } from "../format.js";
import type { ReportRecord } from "../logs/record.js";
import { type PayloadMix, payloadIndexAt } from "../model/payload-mix.js";
import type { PreparedSize, Target } from "../targets/target.js";
import { runBounded } from "./bounded.js";
import { type InvocationError, invocationError } from "./invocation-error.js";
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
  /**
   * Milliseconds to wait after each invocation ends before the next at the
   * same size starts (`--pause`; AWS Lambda Power Tuning's sleepBetweenRunsMs);
   * 0 or absent: none.
   */
  pauseMs?: number;
  /** The clock and the wait the pause uses (tests pass their own). */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface SweepResult {
  /** REPORT records by memory size, sizes in the order measured, records in the order invoked. */
  records: Map<number, ReportRecord[]>;
  /** Invocations made, over all sizes. */
  invocations: number;
  /** Things the user should know about a size, e.g. fewer invocations than planned. */
  notes: Map<number, string[]>;
  /** The first failed invocation's error at each size where one failed. */
  firstErrors: Map<number, InvocationError>;
  /**
   * Why the sweep ended early, when a run failure or someone else's change
   * stopped it; what was measured until then is in `records`.
   */
  stopped?: LambdaTuneError;
  /** The size it stopped at, which is not recommended. */
  stoppedAt?: number;
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
 * the end (a grid's after its step). Sizes go one after another (aws: one
 * configuration change at a time). A run failure or someone else's change
 * (`keepsMeasurements`) stops the sweep with what was measured so far; other
 * exceptions from the target are bugs or configuration errors: the sizes are
 * released and the error propagates. The caller restores the target, also on error.
 */
export async function runSweep(options: SweepOptions): Promise<SweepResult> {
  const { target, planner, payload, mix, concurrency, onProgress, signal } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number above 0, not ${concurrency}`);
  }
  const pauseMs = options.pauseMs ?? 0;
  if (!(pauseMs >= 0 && Number.isFinite(pauseMs))) {
    throw new RangeError(`pauseMs must be a finite number of 0 or more, not ${pauseMs}`);
  }
  const now = options.now ?? (() => performance.now());
  const sleep =
    options.sleep ??
    ((ms: number, abort?: AbortSignal) => sleepFor(ms, undefined, { signal: abort }));
  // When the last invocation at each size ended, so a planner's next step there pauses too.
  const lastEnded = new Map<number, number>();
  if (planner.plannedSizes !== undefined) checkSizesAvailable(target, planner.plannedSizes);
  const records = new Map<number, ReportRecord[]>();
  const notes = new Map<number, string[]>();
  const firstErrors = new Map<number, InvocationError>();
  let invocations = 0;
  let stoppedAt: number | undefined;

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
      stoppedAt = memoryMb;
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
      const measured = records.get(memoryMb) ?? [];
      records.set(memoryMb, measured);
      const before = measured.length;
      const eventFor = (index: number) =>
        mix === undefined ? payload : mix.payloads[payloadIndexAt(mix.mix, before + index)]!;
      // Kept however the size ends (when one call fails, the others were paid for), and in the
      // order invoked, so the i-th record of a size had the i-th payload of the mix.
      const arrived: (ReportRecord | undefined)[] = new Array(planned);
      try {
        await runBounded(
          planned,
          concurrency,
          async (index) => {
            if (pauseMs > 0) {
              // A worker's later calls follow its own previous one; its first, the size's last.
              const ended = index < concurrency ? lastEnded.get(memoryMb) : now();
              const waitMs = ended === undefined ? 0 : ended + pauseMs - now();
              if (waitMs > 0) await sleep(waitMs, signal);
            }
            const invocation = await invoke(eventFor(index));
            lastEnded.set(memoryMb, now());
            arrived[index] = invocation.record;
            invocations++;
            if (!firstErrors.has(memoryMb)) {
              const error = invocationError(invocation);
              if (error !== undefined) firstErrors.set(memoryMb, error);
            }
            done++;
            onProgress?.({ type: "invocation", memoryMb, done, planned });
          },
          signal,
        );
      } finally {
        for (const record of arrived) if (record !== undefined) measured.push(record);
      }
      if (!keepOpen) await release(memoryMb);
      onProgress?.({ type: "size-done", memoryMb });
    }
  } catch (error) {
    // The first error says more than a failure to clean up after it.
    await Promise.allSettled([...open.keys()].map(release));
    for (const [memoryMb, measured] of records) if (measured.length === 0) records.delete(memoryMb);
    if (!keepsMeasurements(error) || signal?.aborted) throw error;
    return {
      records,
      invocations,
      notes,
      firstErrors,
      stopped: error,
      ...(stoppedAt !== undefined && { stoppedAt }),
    };
  }
  for (const memoryMb of [...open.keys()]) await release(memoryMb);
  return { records, invocations, notes, firstErrors };
}
