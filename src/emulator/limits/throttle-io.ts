/** The throttle loop's I/O on a real process group, and the state it shares with its owner. */
import { cpuNanosByThread, processGroupMembers, readProcessMemory } from "./proc-usage.js";
import type { ThrottleIo } from "./throttle-loop.js";

const STOP_REQUESTED = 0;
const OUT_OF_MEMORY = 1;
const FINISHED = 2;
const PEAK_KIB = 3;
const PGID = 4;
// 0: none; 1: asked; 2: answered, running; 3: answered, stopped until a refill.
const CHARGE = 5;
const CONTINUED = 6;
const CELLS = 7;

// Node.js has had Atomics.waitAsync since 16; the project's TypeScript lib (ES2023) lacks it.
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      cells: Int32Array,
      index: number,
      value: number,
      timeoutMs: number,
    ): { async: boolean; value: Promise<string> | string };
  }
).waitAsync;

/** Flags and figures shared between the loop (maybe in a worker) and its owner, lock-free. */
export class ThrottleSharedState {
  readonly cells: Int32Array;

  constructor(
    buffer: SharedArrayBuffer = new SharedArrayBuffer(CELLS * Int32Array.BYTES_PER_ELEMENT),
  ) {
    this.cells = new Int32Array(buffer);
  }

  get buffer(): SharedArrayBuffer {
    return this.cells.buffer as SharedArrayBuffer;
  }

  requestStop(): void {
    Atomics.store(this.cells, STOP_REQUESTED, 1);
    Atomics.notify(this.cells, STOP_REQUESTED);
    Atomics.notify(this.cells, PGID);
  }

  setProcessGroup(pgid: number): void {
    Atomics.store(this.cells, PGID, pgid);
    Atomics.notify(this.cells, PGID);
  }
  /** Blocks until the group to watch is set; undefined when stopped first (workers only). */
  waitForProcessGroup(): number | undefined {
    for (;;) {
      if (this.stopRequested) return undefined;
      const pgid = Atomics.load(this.cells, PGID);
      if (pgid !== 0) return pgid;
      Atomics.wait(this.cells, PGID, 0, 1000);
    }
  }
  get stopRequested(): boolean {
    return Atomics.load(this.cells, STOP_REQUESTED) === 1;
  }
  /** Sleeps up to `ms`, waking at once when a stop is requested (workers only). */
  waitForStop(ms: number): void {
    Atomics.wait(this.cells, STOP_REQUESTED, 0, ms);
  }

  /** Asks the loop to charge the group's CPU now, waking a worker that sleeps. */
  requestCharge(): void {
    Atomics.store(this.cells, CHARGE, 1);
    Atomics.notify(this.cells, STOP_REQUESTED);
  }
  takeChargeRequest(): boolean {
    return Atomics.load(this.cells, CHARGE) === 1;
  }
  answerCharge(stopped: boolean): void {
    if (Atomics.compareExchange(this.cells, CHARGE, 1, stopped ? 3 : 2) === 1) {
      Atomics.notify(this.cells, CHARGE);
    }
  }
  /** The loop's answer to requestCharge: whether the group is stopped; undefined if none came. */
  async chargeAnswer(timeoutMs: number): Promise<boolean | undefined> {
    const waiting = waitAsync(this.cells, CHARGE, 1, timeoutMs);
    if (waiting.async) await waiting.value;
    const answer = Atomics.exchange(this.cells, CHARGE, 0);
    return answer === 1 ? undefined : answer === 3;
  }

  get continuedCount(): number {
    return Atomics.load(this.cells, CONTINUED);
  }
  markContinued(): void {
    Atomics.add(this.cells, CONTINUED, 1);
    Atomics.notify(this.cells, CONTINUED);
  }
  /** Resolves once the group was continued after `count` (see continuedCount), or after the timeout. */
  async continuedAfter(count: number, timeoutMs: number): Promise<void> {
    const waiting = waitAsync(this.cells, CONTINUED, count, timeoutMs);
    if (waiting.async) await waiting.value;
  }

  markOutOfMemory(): void {
    Atomics.store(this.cells, OUT_OF_MEMORY, 1);
  }
  get outOfMemory(): boolean {
    return Atomics.load(this.cells, OUT_OF_MEMORY) === 1;
  }

  markFinished(): void {
    Atomics.store(this.cells, FINISHED, 1);
  }
  get finished(): boolean {
    return Atomics.load(this.cells, FINISHED) === 1;
  }

  recordPeak(bytes: number): void {
    const kib = Math.min(2 ** 31 - 1, Math.ceil(bytes / 1024));
    if (kib > Atomics.load(this.cells, PEAK_KIB)) Atomics.store(this.cells, PEAK_KIB, kib);
  }
  get peakBytes(): number {
    return Atomics.load(this.cells, PEAK_KIB) * 1024;
  }
}

export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  // kill(-1) would signal every process the user owns.
  if (!Number.isInteger(pgid) || pgid <= 1)
    throw new RangeError(`refusing to signal group ${pgid}`);
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is gone.
  }
}

export function processGroupIo(
  pgid: number,
  state: ThrottleSharedState,
  sleep: (ms: number) => void | Promise<void>,
): ThrottleIo {
  return {
    // CLOCK_MONOTONIC, which the kernel's ticks are aligned to (performance.now() differs per thread).
    now: () => Number(process.hrtime.bigint()) / 1e6,
    sleep,
    shouldStop: () => state.stopRequested,
    takeChargeRequest: () => state.takeChargeRequest(),
    answerCharge: (stopped) => state.answerCharge(stopped),
    members: () => processGroupMembers(pgid),
    cpuNanosByThread: (members) => cpuNanosByThread(members),
    memory: (members) => {
      let rssBytes = 0;
      let highWaterBytes = 0;
      for (const pid of members) {
        const memory = readProcessMemory(pid);
        if (!memory) continue;
        rssBytes += memory.rssBytes;
        highWaterBytes = Math.max(highWaterBytes, memory.highWaterBytes);
      }
      return { rssBytes, highWaterBytes };
    },
    stopGroup: () => signalGroup(pgid, "SIGSTOP"),
    continueGroup: () => {
      signalGroup(pgid, "SIGCONT");
      state.markContinued();
    },
    killGroup: () => {
      signalGroup(pgid, "SIGKILL");
      signalGroup(pgid, "SIGCONT");
    },
    reportPeak: (bytes) => state.recordPeak(bytes),
    reportOutOfMemory: () => state.markOutOfMemory(),
  };
}
