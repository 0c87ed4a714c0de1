// The published CFS staircase (fixtures/data/cfs-staircase.csv) and how close
// a set of modelled or measured figures comes to it.
import { readFileSync } from "node:fs";

export interface StaircaseRow {
  memoryMb: number;
  medianMs: number;
  p90Ms: number;
}

export function readStaircase(): StaircaseRow[] {
  const path = new URL("../fixtures/data/cfs-staircase.csv", import.meta.url);
  return readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split(",").map(Number))
    .map(([memoryMb = 0, , medianMs = 0, , p90Ms = 0]) => ({ memoryMb, medianMs, p90Ms }));
}

/** Every n-th row so that about `count` sizes spread over the whole range remain. */
export function spread(rows: readonly StaircaseRow[], count: number): StaircaseRow[] {
  if (count >= rows.length) return [...rows];
  return Array.from(
    { length: count },
    (_, i) => rows[Math.round((i * (rows.length - 1)) / (count - 1))]!,
  );
}

export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

export interface Closeness {
  median15: number;
  median5: number;
  p9015: number;
  p905: number;
}

/** Shares of the rows whose median and p90 lie within 15% and 5% of the figures given for them. */
export function closeness(
  rows: readonly StaircaseRow[],
  figures: readonly { medianMs: number; p90Ms: number }[],
): Closeness {
  const share = (ok: (row: StaircaseRow, i: number) => boolean) =>
    rows.filter(ok).length / rows.length;
  const within = (actual: number, expected: number, tolerance: number) =>
    Math.abs(actual - expected) <= tolerance * expected;
  return {
    median15: share((row, i) => within(figures[i]!.medianMs, row.medianMs, 0.15)),
    median5: share((row, i) => within(figures[i]!.medianMs, row.medianMs, 0.05)),
    p9015: share((row, i) => within(figures[i]!.p90Ms, row.p90Ms, 0.15)),
    p905: share((row, i) => within(figures[i]!.p90Ms, row.p90Ms, 0.05)),
  };
}

const pct = (share: number) => `${(100 * share).toFixed(0)}%`;

export function formatCloseness(c: Closeness): string {
  return `medians ${pct(c.median15)} within 15%, ${pct(c.median5)} within 5%; p90 ${pct(c.p9015)} / ${pct(c.p905)}`;
}
