import { MB_PER_VCPU } from "../lambda.js";

/**
 * Where the first calls go: doublings from 128 MB up to just past one vCPU.
 * Single-threaded code pays steeply above 1,769 MB
 * (docs/lambda-facts.md, "Cost curves"), so no probe goes higher; the
 * planner walks up from 1,792 MB only when that is still the cheapest.
 */
export const PROBE_TARGETS_MB: readonly number[] = [128, 256, 512, 1024, 1792];

/** The allowed size nearest to `memoryMb` (the smaller one on a tie); sizes ascending, non-empty. */
export function nearestSize(sizes: readonly number[], memoryMb: number): number {
  let best = sizes[0];
  if (best === undefined) throw new Error("nearestSize needs at least one size");
  for (const size of sizes) {
    if (Math.abs(size - memoryMb) < Math.abs(best - memoryMb)) best = size;
  }
  return best;
}

/**
 * The probe sizes within the allowed ones: the nearest to each target inside
 * their range, de-duplicated; when the range is narrow, its ends and middle.
 */
export function probeSizes(sizes: readonly number[]): number[] {
  const sorted = [...new Set(sizes)].sort((a, b) => a - b);
  const low = sorted[0];
  const high = sorted.at(-1);
  if (low === undefined || high === undefined) return [];
  const inside = PROBE_TARGETS_MB.filter((target) => target > low && target < high);
  const targets =
    inside.length >= 2
      ? [low, ...inside.filter((t) => t > low * 1.5), ...(high < MB_PER_VCPU ? [high] : [])]
      : [low, (low + high) / 2, high];
  return [...new Set(targets.map((target) => nearestSize(sorted, target)))];
}
