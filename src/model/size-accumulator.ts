import { isColdStart, isOutOfMemory, type ReportRecord } from "../logs/record.js";
import { LogHistogram } from "./log-histogram.js";
import { Reservoir } from "./reservoir.js";
import { isFailure } from "./stats.js";

/** Records kept per memory size for the multi-size curve (buildResult), by default. */
export const DEFAULT_SAMPLE_PER_SIZE = 10_000;

/**
 * Everything `analyze` keeps about the records of one memory size, in memory
 * that does not grow with their number: counts, sums, quantile sketches
 * (log-histogram.ts), Max Memory Used by whole MB (at most ~10,241 keys), and
 * a bounded seeded sample of the records themselves.
 */
export class SizeAccumulator {
  invocations = 0;
  coldStarts = 0;
  errors = 0;
  timeouts = 0;
  outOfMemory = 0;
  readonly errorTypes = new Map<string, number>();
  /** Warm durations; cold starts' durations apart, for a size seen only cold. */
  readonly warmDurations = new LogHistogram();
  readonly coldDurations = new LogHistogram();
  readonly initDurations = new LogHistogram();
  /** Billed Duration summed over every invocation, cold starts included (ms). */
  billedSumMs = 0;
  /** Max Memory Used (MB, rounded) -> invocations. */
  readonly memoryUsed = new Map<number, number>();
  readonly sample: Reservoir<ReportRecord>;

  constructor(
    readonly memoryMb: number,
    random: () => number,
    sampleSize = DEFAULT_SAMPLE_PER_SIZE,
  ) {
    this.sample = new Reservoir(sampleSize, random);
  }

  add(record: ReportRecord): void {
    this.invocations++;
    this.billedSumMs += record.billedDurationMs;
    if (isColdStart(record)) {
      this.coldStarts++;
      this.coldDurations.add(record.durationMs);
      this.initDurations.add(record.initDurationMs ?? 0);
    } else {
      this.warmDurations.add(record.durationMs);
    }
    if (isFailure(record)) {
      this.errors++;
      if (record.status === "timeout") this.timeouts++;
      if (isOutOfMemory(record)) this.outOfMemory++;
      // Timeouts carry no Error Type in REPORT lines; keyed by status, as stats.ts does.
      const key = record.errorType ?? record.status;
      this.errorTypes.set(key, (this.errorTypes.get(key) ?? 0) + 1);
    }
    const used = Math.round(record.maxMemoryUsedMB);
    this.memoryUsed.set(used, (this.memoryUsed.get(used) ?? 0) + 1);
    this.sample.offer(record);
  }

  /** The exact quantile q of Max Memory Used (nearest rank, rounded up), MB. */
  memoryUsedQuantile(q: number): number {
    const sorted = [...this.memoryUsed.entries()].sort(([a], [b]) => a - b);
    const rank = Math.max(1, Math.ceil(q * this.invocations));
    let seen = 0;
    for (const [value, count] of sorted) {
      seen += count;
      if (seen >= rank) return value;
    }
    return sorted.at(-1)?.[0] ?? 0;
  }
}

/** One accumulator per memory size, created on first sight. */
export class LogAccumulator {
  readonly sizes = new Map<number, SizeAccumulator>();
  records = 0;
  malformed = 0;

  constructor(
    private readonly randomFor: (memoryMb: number) => () => number,
    private readonly sampleSize = DEFAULT_SAMPLE_PER_SIZE,
  ) {}

  add(record: ReportRecord): void {
    this.records++;
    let size = this.sizes.get(record.memorySizeMB);
    if (size === undefined) {
      size = new SizeAccumulator(
        record.memorySizeMB,
        this.randomFor(record.memorySizeMB),
        this.sampleSize,
      );
      this.sizes.set(record.memorySizeMB, size);
    }
    size.add(record);
  }

  /** Accumulators by ascending memory size. */
  bySize(): SizeAccumulator[] {
    return [...this.sizes.values()].sort((a, b) => a.memoryMb - b.memoryMb);
  }
}
