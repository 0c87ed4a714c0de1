import { UsageError } from "../errors.js";

const UNIT_MS: Readonly<Record<string, number>> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const RELATIVE = /^(\d+(?:\.\d+)?)\s*([mhdw])$/;
// A date, or a date and time with an optional zone: what Date.parse reads the same everywhere.
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export const TIME_FORMS =
  "a span back from now (30m, 6h, 7d, 2w) or an ISO date (2025-06-01, 2025-06-01T12:00:00Z)";

/** A duration such as 30m, 6h, 7d or 2w, in ms; undefined when the text is not one. */
export function parseSpan(text: string): number | undefined {
  const match = RELATIVE.exec(text.trim());
  if (match === null) return undefined;
  const ms = Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  return ms > 0 ? ms : undefined;
}

/**
 * A point in time for --since or --until: a span back from `now` or an ISO
 * date (UTC when no zone is given, as CloudWatch Logs shows times). Epoch ms.
 */
export function parseTimePoint(flag: string, text: string, now: number): number {
  const span = parseSpan(text);
  if (span !== undefined) return now - span;
  const trimmed = text.trim();
  if (ISO.test(trimmed)) {
    const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/.test(trimmed) || !trimmed.includes(":");
    const ms = Date.parse(zoned ? trimmed : `${trimmed}Z`);
    if (Number.isFinite(ms)) return ms;
  }
  throw new UsageError(`${flag} '${text}' is not a time lambda-tune can read`, {
    hint: `give ${flag} ${TIME_FORMS}`,
  });
}

/** A --window span (30m, 6h, 7d, 2w), in ms. */
export function parseWindowSpan(flag: string, text: string): number {
  const span = parseSpan(text);
  if (span !== undefined) return span;
  throw new UsageError(`${flag} '${text}' is not a span of time`, {
    hint: `give ${flag} as a number and a unit: 30m, 6h, 7d or 2w`,
  });
}

/** --since and --until as a window [start, end], checked: start before end, end not before start. */
export function parseTimeWindow(
  since: string | undefined,
  until: string | undefined,
  now: number,
  defaultSince: string,
): { startMs: number; endMs: number } {
  const startMs = parseTimePoint("--since", since ?? defaultSince, now);
  const endMs = until === undefined ? now : parseTimePoint("--until", until, now);
  if (startMs >= endMs) {
    throw new UsageError(
      `--since (${new Date(startMs).toISOString()}) is not before --until (${new Date(endMs).toISOString()})`,
      { hint: "give a --since earlier than --until, e.g. --since 7d" },
    );
  }
  return { startMs, endMs };
}
