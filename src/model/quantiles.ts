/**
 * Quantiles of the normal, Student t and chi-square distributions, for
 * intervals on differences of summaries and bounds on duration tails.
 * Deterministic approximations, accurate far below the noise they bound.
 */

/** Standard normal density. */
export function normalDensity(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + 4.374664141464968) * q +
      2.938163982698783) /
    ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r - 30.66479806614716) * r +
      2.506628274631) *
      q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r - 13.28068155288572) * r + 1)
  );
}

/**
 * Student t quantile with `df` degrees of freedom, 0 < p < 1: exact for
 * df 1 and 2, Cornish-Fisher expansion (A&S 26.7.5) from 3 up; a fractional
 * df below 3 is rounded down, which widens the interval.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile needs 0 < p < 1, not ${p}`);
  if (!(df >= 1)) throw new RangeError(`studentTQuantile needs df >= 1, not ${df}`);
  if (p < 0.5) return -studentTQuantile(1 - p, df);
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

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9).
  const g = [
    0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531,
    -176.6150291621406, 12.507343278686905, -0.13857109526572012, 9.984369578019572e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let sum = g[0]!;
  for (let i = 1; i < 9; i++) sum += g[i]! / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Regularized lower incomplete gamma P(a, x), by its series. */
function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < 10_000 && term > sum * 1e-15; n++) {
    term *= x / (a + n);
    sum += term;
  }
  return Math.min(1, sum * Math.exp(-x + a * Math.log(x) - logGamma(a)));
}

/** Chi-square quantile with `degrees` degrees of freedom, by bisection on its CDF. */
export function chiSquareQuantile(p: number, degrees: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  let low = 0;
  let high = degrees + 20 * Math.sqrt(2 * degrees) + 20;
  for (let i = 0; i < 200; i++) {
    const middle = (low + high) / 2;
    if (gammaP(degrees / 2, middle / 2) < p) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}
