/** A point of a weighted least-squares problem. */
export interface WeightedPoint {
  x: number;
  y: number;
  weight: number;
}

/** Weighted least squares of y = a + b*x; null when the x values do not vary. */
export function fitLine(
  points: readonly WeightedPoint[],
): { a: number; b: number; sse: number } | null {
  let sw = 0;
  let swx = 0;
  let swy = 0;
  for (const { x, y, weight } of points) {
    sw += weight;
    swx += weight * x;
    swy += weight * y;
  }
  if (sw <= 0) return null;
  const meanX = swx / sw;
  const meanY = swy / sw;
  // Centred sums keep the problem well conditioned when x barely varies (e.g. exp(-m/a2), large a2).
  let sxx = 0;
  let sxy = 0;
  for (const { x, y, weight } of points) {
    sxx += weight * (x - meanX) ** 2;
    sxy += weight * (x - meanX) * (y - meanY);
  }
  const spread = Math.max(...points.map((p) => Math.abs(p.x - meanX)));
  if (!(sxx > 0) || spread <= 1e-12 * Math.max(Math.abs(meanX), 1e-300)) return null;
  const b = sxy / sxx;
  const a = meanY - b * meanX;
  return { a, b, sse: sumSquaredError(points, (x) => a + b * x) };
}

/** Weighted least squares of y = b*x; null when every x is zero. */
export function fitProportional(
  points: readonly WeightedPoint[],
): { b: number; sse: number } | null {
  let sxx = 0;
  let sxy = 0;
  for (const { x, y, weight } of points) {
    sxx += weight * x * x;
    sxy += weight * x * y;
  }
  if (!(sxx > 0)) return null;
  const b = sxy / sxx;
  return { b, sse: sumSquaredError(points, (x) => b * x) };
}

function sumSquaredError(points: readonly WeightedPoint[], f: (x: number) => number): number {
  let sse = 0;
  for (const { x, y, weight } of points) sse += weight * (y - f(x)) ** 2;
  return sse;
}

/**
 * The argument in [lo, hi] minimising a unimodal `f` (golden-section search,
 * deterministic, a fixed number of steps).
 */
export function goldenSectionMinimum(
  f: (t: number) => number,
  lo: number,
  hi: number,
  steps = 60,
): number {
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let i = 0; i < steps; i++) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}

/**
 * Minimise `f` over a grid, then refine by golden-section search between the
 * best grid point's neighbours. Deterministic; robust to local minima as far
 * as the grid resolves them. Returns the argument and f there.
 */
export function gridThenRefine(
  f: (t: number) => number,
  grid: readonly number[],
): { t: number; value: number } | null {
  let best = -1;
  let bestValue = Number.POSITIVE_INFINITY;
  grid.forEach((t, i) => {
    const value = f(t);
    if (value < bestValue) {
      bestValue = value;
      best = i;
    }
  });
  if (best < 0) return null;
  const lo = grid[Math.max(0, best - 1)]!;
  const hi = grid[Math.min(grid.length - 1, best + 1)]!;
  const refined = goldenSectionMinimum(f, lo, hi);
  const refinedValue = f(refined);
  return refinedValue < bestValue
    ? { t: refined, value: refinedValue }
    : { t: grid[best]!, value: bestValue };
}

/** `count` points from lo to hi, evenly spaced on a log scale. */
export function logGrid(lo: number, hi: number, count: number): number[] {
  const step = Math.log(hi / lo) / (count - 1);
  return Array.from({ length: count }, (_, i) => lo * Math.exp(step * i));
}
