import type { Distribution } from "../document/result.js";

/**
 * Relative error of every quantile the histogram gives, against the exact
 * (R type 7) quantile of the values it was fed: 0.5%.
 */
export const HISTOGRAM_RELATIVE_ERROR = 0.005;

const ALPHA = HISTOGRAM_RELATIVE_ERROR;
const GAMMA = (1 + ALPHA) / (1 - ALPHA);
const LOG_GAMMA = Math.log(GAMMA);
/** Values at or below this (ms) share the lowest bucket; durations print with two decimals. */
const MIN_VALUE = 1e-3;
/** 1e-3 .. 1e8 ms (over a day) in ~2,530 buckets; larger values share the top one. */
const BUCKETS = Math.ceil(Math.log(1e8 / MIN_VALUE) / LOG_GAMMA) + 1;
const OFFSET = Math.ceil(Math.log(MIN_VALUE) / LOG_GAMMA);

/**
 * A quantile sketch of positive values in fixed memory (~20 KB): counts in
 * logarithmic buckets (gamma^(i-1), gamma^i], as DDSketch. The bucket's
 * estimate 2 gamma^i / (gamma + 1) is within ALPHA of any value in it, so a
 * quantile read between two ranks is within ALPHA of the exact one. Count,
 * mean, standard deviation (Welford), min and max are exact; the same
 * values in any order give the same sketch.
 */
export class LogHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  count = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  private meanValue = 0;
  private squares = 0;

  add(value: number): void {
    this.count++;
    const delta = value - this.meanValue;
    this.meanValue += delta / this.count;
    this.squares += delta * (value - this.meanValue);
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    const bucket = bucketOf(value);
    this.counts[bucket] = (this.counts[bucket] as number) + 1;
  }

  get mean(): number {
    return this.count === 0 ? Number.NaN : this.meanValue;
  }

  /** Sample standard deviation (n - 1), 0 for a single value, as stats.ts `summarize`. */
  get stdDev(): number {
    return this.count > 1 ? Math.sqrt(this.squares / (this.count - 1)) : 0;
  }

  /** The quantile q (0..1), interpolated between ranks as R type 7; NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const h = (this.count - 1) * Math.min(1, Math.max(0, q));
    const low = Math.floor(h);
    const lowValue = this.valueAtRank(low);
    if (h === low) return lowValue;
    return lowValue + (h - low) * (this.valueAtRank(low + 1) - lowValue);
  }

  /** The estimate of the value at `rank` (0-based, ascending), clamped to the exact min and max. */
  private valueAtRank(rank: number): number {
    if (rank <= 0) return this.min;
    if (rank >= this.count - 1) return this.max;
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i] as number;
      if (seen > rank) {
        const estimate = (2 * GAMMA ** (i + OFFSET)) / (GAMMA + 1);
        return Math.min(this.max, Math.max(this.min, estimate));
      }
    }
    return this.max;
  }

  /** Summary in the shape of stats.ts `summarize`; quantiles within HISTOGRAM_RELATIVE_ERROR. */
  summary(): Distribution {
    if (this.count === 0) throw new Error("summary needs at least one value");
    return {
      count: this.count,
      mean: this.mean,
      median: this.quantile(0.5),
      p90: this.quantile(0.9),
      p95: this.quantile(0.95),
      p99: this.quantile(0.99),
      max: this.max,
      min: this.min,
      stdDev: this.stdDev,
    };
  }
}

function bucketOf(value: number): number {
  if (!(value > MIN_VALUE)) return 0;
  const index = Math.ceil(Math.log(value) / LOG_GAMMA) - OFFSET;
  return index < BUCKETS ? index : BUCKETS - 1;
}
