import { formatCount } from "../format.js";
import { paint } from "../report/ansi.js";

/** Where a sweep is, as the progress line shows it. */
export interface ProgressState {
  /** Sizes measured to the end (a planner's return visit counts once). */
  sizesDone: number;
  /** Sizes planned, when the plan is a fixed grid. */
  sizesTotal: number | undefined;
  /** The size being measured now. */
  memoryMb: number | undefined;
  invocationsDone: number;
  /** Invocations planned or budgeted, when known. */
  invocationsTotal: number | undefined;
  /** When the sweep started (ms since the epoch). */
  startedAt: number;
}

const BAR_MIN = 10;
const BAR_MAX = 30;
const GAP = "  ";

/** `0:07`, `12:34`, `1:02:03`. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}`
    : `${minutes}:${seconds}`;
}

/** Time left at the pace so far; undefined before the first invocation or without a total. */
export function estimateRemainingMs(state: ProgressState, now: number): number | undefined {
  const { invocationsDone: done, invocationsTotal: total } = state;
  if (total === undefined || done === 0) return undefined;
  return (Math.max(0, now - state.startedAt) / done) * Math.max(0, total - done);
}

/**
 * One line of at most `width` characters: a bar when the total is known, the
 * counts, the current size, elapsed time and ETA. Where they do not fit,
 * elapsed time goes first, then the size, then the bar, then the ETA.
 */
export function formatProgressLine(
  state: ProgressState,
  width: number,
  now: number,
  color = false,
): string {
  const total = state.invocationsTotal;
  const calls =
    total === undefined
      ? formatCount(state.invocationsDone, "call")
      : `${state.invocationsDone}/${total} calls`;
  const size =
    state.memoryMb === undefined
      ? undefined
      : state.sizesTotal === undefined
        ? `${state.memoryMb} MB, ${state.sizesDone} size${state.sizesDone === 1 ? "" : "s"} done`
        : `size ${Math.min(state.sizesDone + 1, state.sizesTotal)}/${state.sizesTotal}: ${state.memoryMb} MB`;
  const elapsed = `${formatClock(now - state.startedAt)} elapsed`;
  const remaining = estimateRemainingMs(state, now);
  const eta = remaining === undefined ? undefined : `ETA ${formatClock(remaining)}`;

  const parts: Record<"calls" | "size" | "elapsed" | "eta", string | undefined> = {
    calls,
    size,
    elapsed,
    eta,
  };
  const text = () =>
    [parts.calls, parts.size, parts.elapsed, parts.eta]
      .filter((p): p is string => p !== undefined)
      .join(GAP);
  const barRoom = total === undefined ? 0 : BAR_MIN + GAP.length;
  for (const drop of ["elapsed", "size"] as const) {
    if (text().length + barRoom <= width) break;
    parts[drop] = undefined;
  }
  let line = text();
  if (total !== undefined && line.length + barRoom <= width) {
    const barWidth = Math.min(BAR_MAX, width - line.length - GAP.length);
    return `${bar(state.invocationsDone / Math.max(total, 1), barWidth, color)}${GAP}${line}`;
  }
  if (line.length > width) {
    parts.eta = undefined;
    line = text();
  }
  return line.slice(0, Math.max(0, width));
}

function bar(fraction: number, width: number, color: boolean): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return paint("█".repeat(filled), "cyan", color) + paint("░".repeat(width - filled), "dim", color);
}
