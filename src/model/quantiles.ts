/**
 * Quantiles of the normal and Student t distributions, for intervals on
 * differences of summaries. Closed-form approximations: deterministic and
 * accurate to about 1e-3, far below the noise they bound.
 */

/** Standard normal density. */
export function normalDensity(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** Standard normal quantile, 0 < p < 1 (Abramowitz & Stegun 26.2.23, |error| < 4.5e-4). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, not ${p}`);
  if (p < 0.5) return -normalQuantile(1 - p);
  const t = Math.sqrt(-2 * Math.log(1 - p));
  const numerator = 2.515517 + 0.802853 * t + 0.010328 * t * t;
  const denominator = 1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t;
  return t - numerator / denominator;
}

/**
 * Student t quantile with `df` degrees of freedom, 0.5 <= p < 1: exact for
 * df 1 and 2, Cornish-Fisher expansion (A&S 26.7.5) from 3 up; a fractional
 * df below 3 is rounded down, which widens the interval.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p >= 0.5 && p < 1)) throw new RangeError(`studentTQuantile needs 0.5 <= p < 1, not ${p}`);
  if (!(df >= 1)) throw new RangeError(`studentTQuantile needs df >= 1, not ${df}`);
  if (df < 2) return Math.tan(Math.PI * (p - 0.5));
  if (df < 3) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  if (!Number.isFinite(df)) return normalQuantile(p);
  const z = normalQuantile(p);
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

/** Welch-Satterthwaite degrees of freedom of a difference of two means with these standard errors. */
export function welchDegreesOfFreedom(se1: number, n1: number, se2: number, n2: number): number {
  const v1 = se1 * se1;
  const v2 = se2 * se2;
  const denominator = (n1 > 1 ? (v1 * v1) / (n1 - 1) : 0) + (n2 > 1 ? (v2 * v2) / (n2 - 1) : 0);
  if (denominator === 0) return Number.POSITIVE_INFINITY;
  return (v1 + v2) ** 2 / denominator;
}
