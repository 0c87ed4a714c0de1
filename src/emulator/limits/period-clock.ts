import { setTimeout as sleep, setImmediate as turn } from "node:timers/promises";
import { estimatePeriodPhase, nextPeriodStart, type RefillObservation } from "./period-phase.js";

export interface PeriodClockOptions {
  periodMs: number;
  /** The group's count of elapsed CFS periods (`nr_periods` of cpu.stat), undefined when unreadable. */
  readPeriods: () => number | undefined;
  now?: () => number;
  /** How long to watch at most; the kernel's timer only runs while the group does. */
  learnForMs?: number;
  /** Refills that must agree before the phase is trusted. */
  enoughObservations?: number;
}

// A setTimeout wakes up to ~1 ms late, so the last stretch is waited in event-loop turns.
const SPIN_MS = 2;

/**
 * The CFS period grid of one cgroup, learnt by watching its refills while the
 * sandbox initialises, so invocations can be handed out at a period start.
 * Real Lambda's staircase (docs/lambda-facts.md, "CPU throttling") fits a
 * full quota at the start of each invocation and 20 ms until the next refill;
 * with a random phase the emulator's steps fall one period early or late.
 */
export class PeriodClock {
  readonly #options: Required<PeriodClockOptions>;
  readonly #observations: RefillObservation[] = [];
  #phase: number | undefined;
  #stopped = false;

  constructor(options: PeriodClockOptions) {
    this.#options = {
      now: () => performance.now(),
      learnForMs: 400,
      enoughObservations: 5,
      ...options,
    };
  }

  /** The grid's phase in ms modulo the period, once learnt. */
  get phaseMs(): number | undefined {
    return this.#phase;
  }

  /** Watches the period counter in event-loop turns, which keep the tool responsive. */
  async learn(): Promise<void> {
    const { now, readPeriods, learnForMs, enoughObservations, periodMs } = this.#options;
    const deadline = now() + learnForMs;
    let previous = readPeriods();
    let previousAt = now();
    while (!this.#stopped && now() < deadline) {
      await turn();
      const periods = readPeriods();
      const at = now();
      if (periods === undefined) return;
      if (previous !== undefined && periods !== previous) {
        this.#observations.push({ from: previousAt, to: at });
        const phase = estimatePeriodPhase(this.#observations, periodMs);
        if (phase !== undefined && this.#observations.length >= enoughObservations) {
          this.#phase = phase;
          return;
        }
      }
      previous = periods;
      previousAt = at;
    }
    this.#phase = estimatePeriodPhase(this.#observations, periodMs);
  }

  /** Resolves at the start of the next period; at once while the grid is unknown. */
  async waitForPeriodStart(): Promise<void> {
    const phase = this.#phase;
    if (phase === undefined || this.#stopped) return;
    const { now, periodMs } = this.#options;
    const start = nextPeriodStart(now(), phase, periodMs);
    if (start - now() > SPIN_MS) await sleep(start - now() - SPIN_MS);
    while (now() < start && !this.#stopped) await turn();
  }

  stop(): void {
    this.#stopped = true;
  }
}
