import type { Writable } from "node:stream";
import type { SweepEvent } from "../tune/sweep.js";
import { type CliIo, useStderrColor } from "./io.js";
import { formatProgressLine, type ProgressState } from "./progress-line.js";

export interface ProgressOptions {
  /** Terminal columns; the line stays one shorter so the terminal never wraps it. */
  columns?: number;
  color?: boolean;
  /** Invocations planned or budgeted; a fixed grid's is also learned from its events. */
  total?: number;
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** Redraw this often so elapsed time and ETA move between slow invocations; 0 turns it off. */
  refreshMs?: number;
}

export interface Progress {
  onProgress: (event: SweepEvent) => void;
  /** Clears the line; call it before anything else is printed. */
  done: () => void;
}

// Fast targets (replay) finish thousands of calls a second; a terminal needs far fewer redraws.
const MIN_REDRAW_MS = 100;

/** A progress bar on a terminal's stderr, redrawn in place and cleared when the sweep ends. */
export function terminalProgress(stream: Writable, options: ProgressOptions = {}): Progress {
  const now = options.now ?? Date.now;
  const width = Math.max(20, (options.columns ?? 80) - 1);
  const state: ProgressState = {
    sizesDone: 0,
    sizesTotal: undefined,
    memoryMb: undefined,
    invocationsDone: 0,
    invocationsTotal: options.total,
    startedAt: now(),
  };
  const sizesSeen = new Set<number>();
  let doneBefore = 0;
  let shown = "";
  let lastDraw = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;

  const draw = (force: boolean) => {
    const at = now();
    if (!force && at - lastDraw < MIN_REDRAW_MS) return;
    lastDraw = at;
    const line = formatProgressLine(state, width, at, options.color ?? false);
    if (line === shown) return;
    stream.write(`\r${line}\x1b[K`);
    shown = line;
  };
  const refreshMs = options.refreshMs ?? 1000;

  return {
    onProgress(event) {
      if (timer === undefined && refreshMs > 0) {
        timer = setInterval(() => draw(true), refreshMs);
        timer.unref();
      }
      if (event.type === "size-start") {
        state.memoryMb = event.memoryMb;
        state.sizesTotal = event.total;
        doneBefore = state.invocationsDone;
        draw(true);
      } else if (event.type === "invocation") {
        state.invocationsDone = doneBefore + event.done;
        if (options.total === undefined && state.sizesTotal !== undefined) {
          state.invocationsTotal = state.sizesTotal * event.planned;
        }
        draw(event.done === event.planned);
      } else {
        // No redraw: the next size's start shows it, and until then the line still names this size.
        sizesSeen.add(event.memoryMb);
        state.sizesDone = sizesSeen.size;
      }
    },
    done() {
      clearInterval(timer);
      if (shown !== "") stream.write("\r\x1b[K");
      shown = "";
    },
  };
}

/** Whether a progress line belongs on stderr: a terminal, not --quiet, not CI, not a dumb terminal. */
export function wantsProgress(io: CliIo, quiet: boolean): boolean {
  const ci = io.env.CI;
  const inCi = ci !== undefined && ci !== "" && ci !== "0" && ci !== "false";
  return io.stderrIsTty && !quiet && !inCi && io.env.TERM !== "dumb";
}

/** The progress display for a command, or undefined when it should stay silent. */
export function progressFor(io: CliIo, quiet: boolean, total?: number): Progress | undefined {
  if (!wantsProgress(io, quiet)) return undefined;
  return terminalProgress(io.stderr, {
    // Drawn on stderr, so as wide as stderr's terminal, whatever stdout is redirected to.
    columns: io.stderrColumns,
    color: useStderrColor(io),
    ...(total !== undefined && { total }),
  });
}
