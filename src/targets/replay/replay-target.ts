import type { Invocation } from "../../document/invocation.js";
import type { Architecture, TargetKind } from "../../document/result.js";
import { UsageError } from "../../errors.js";
import { formatSizes } from "../../format.js";
import type { ReportRecord } from "../../logs/record.js";
import { createRandom, deriveSeed, shuffled } from "../../model/random.js";
import type { FunctionInfo, PreparedSize, Target } from "../target.js";

export interface ReplayTargetOptions {
  /** Parsed REPORT records, any mix of memory sizes. */
  records: readonly ReportRecord[];
  /** What the recording is called in messages and the result (e.g. its file name). */
  name: string;
  seed: number;
  architecture?: Architecture;
  region?: string;
  /** Things to pass on to the user, e.g. lines the parser skipped. */
  warnings?: readonly string[];
}

/** Records of one size in a seeded order, handed out without replacement. */
class RecordDeck {
  private readonly order: readonly ReportRecord[];
  private drawn = 0;

  constructor(records: readonly ReportRecord[], seed: number) {
    this.order = shuffled(records, createRandom(seed));
  }

  get remaining(): number {
    return this.order.length - this.drawn;
  }

  draw(): ReportRecord | undefined {
    const record = this.order[this.drawn];
    if (record !== undefined) this.drawn++;
    return record;
  }
}

/**
 * A target that replays recorded invocations: offline what-if analysis,
 * reproducible demos, and benchmarks of the planner on real measurements.
 */
export class ReplayTarget implements Target {
  readonly kind: TargetKind = "replay";
  private readonly decks = new Map<number, RecordDeck>();
  private readonly sizes: readonly number[];

  constructor(private readonly options: ReplayTargetOptions) {
    const bySize = new Map<number, ReportRecord[]>();
    for (const record of options.records) {
      const records = bySize.get(record.memorySizeMB) ?? [];
      records.push(record);
      bySize.set(record.memorySizeMB, records);
    }
    if (bySize.size === 0) {
      throw new UsageError(`the recording ${options.name} has no REPORT records`, {
        hint: "give --replay-file a log with Lambda REPORT lines (text or JSON format)",
      });
    }
    this.sizes = [...bySize.keys()].sort((a, b) => a - b);
    // One deck per size, seeded by size, so a size's sample does not depend on the plan's order.
    for (const [memoryMb, records] of bySize) {
      this.decks.set(memoryMb, new RecordDeck(records, deriveSeed(options.seed, memoryMb)));
    }
  }

  async describe(): Promise<FunctionInfo> {
    return {
      name: this.options.name,
      architecture: this.options.architecture ?? "x86_64",
      region: this.options.region ?? "us-east-1",
      warnings: [...(this.options.warnings ?? [])],
    };
  }

  availableSizes(): readonly number[] {
    return this.sizes;
  }

  /** Records at this size not yet replayed: all of them until the sweep draws some. */
  capacity(memoryMb: number): number {
    return this.decks.get(memoryMb)?.remaining ?? 0;
  }

  async prepare(memoryMb: number): Promise<PreparedSize> {
    const deck = this.decks.get(memoryMb);
    if (deck === undefined) {
      throw new UsageError(`the recording ${this.options.name} has no records at ${memoryMb} MB`, {
        hint: `it has ${formatSizes(this.sizes)}; choose --memory among those`,
      });
    }
    return {
      memoryMb,
      invoke: async (): Promise<Invocation> => {
        const record = deck.draw();
        if (record === undefined) {
          // The sweep asks capacity() first, so reaching this is a bug, not user input.
          throw new Error(`replay: no records left at ${memoryMb} MB; check capacity() first`);
        }
        return { record: { ...record } };
      },
      release: async () => {},
    };
  }

  async restore(): Promise<void> {}
}

export function createReplayTarget(options: ReplayTargetOptions): ReplayTarget {
  return new ReplayTarget(options);
}
