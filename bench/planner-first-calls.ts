// The first-call model of planner.bench.ts: on a live target the first call
// of every newly prepared size is a cold start, with an Init Duration and a
// Duration inflated over the warm calls' (docs/lambda-facts.md, "First calls").
import type { ReportRecord } from "../src/logs/record.js";
import { createRandom, deriveSeed, type Random } from "../src/model/random.js";
import type { ReplayTarget } from "../src/targets/replay/replay-target.js";
import type { Target } from "../src/targets/target.js";

/** Columns of the SeBS table in docs/lambda-facts.md, "First calls". */
const SEBS_SIZES = [128, 256, 512, 1024, 1536, 2048, 3008];

/**
 * Median Duration of cold first calls over warm ones on real AWS Lambda, per
 * function and size (docs/lambda-facts.md, "First calls"; null: not measured).
 */
export const SEBS_FIRST_CALL_RATIOS: Record<string, readonly (number | null)[]> = {
  "uploader (Python)": [4.07, 3.72, 3.19, 2.4, 2.19, 2.04, 2.29],
  "thumbnailer (Node.js)": [5.96, 5.15, 4.76, 3.75, null, 3.25, 3.45],
  "thumbnailer (Python)": [6.62, 6.22, 5.38, 4.54, null, 4.12, 3.45],
  "compression (Python)": [null, 1.31, 1.27, 1.18, 1.12, 1.17, 1.19],
  "image-recognition (Python)": [null, null, 10.19, 10.28, 10.52, 12.06, 15.64],
  "graph-bfs (Python)": [2.52, 2.52, 2.55, 2.49, 2.46, 2.54, 2.53],
};

/** Spread of ln(factor) between single cold calls around the median ratio. */
const CALL_SPREAD = 0.1;

/** The ratio at `memoryMb`: linear in ln(memory) between measured columns, flat beyond them. */
export function ratioAt(row: readonly (number | null)[], memoryMb: number): number {
  const points = SEBS_SIZES.flatMap((m, i) => {
    const ratio = row[i];
    return ratio === null || ratio === undefined ? [] : [{ m, ratio }];
  });
  const first = points[0]!;
  const last = points.at(-1)!;
  if (memoryMb <= first.m) return first.ratio;
  if (memoryMb >= last.m) return last.ratio;
  const upper = points.findIndex((p) => p.m >= memoryMb);
  const a = points[upper - 1]!;
  const b = points[upper]!;
  const t = Math.log(memoryMb / a.m) / Math.log(b.m / a.m);
  return a.ratio + t * (b.ratio - a.ratio);
}

function standardNormal(random: Random): number {
  const u = Math.max(random(), Number.MIN_VALUE);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export interface FirstCallModel {
  /** Which SeBS function's ratios this run draws from. */
  name: string;
  /** Inflates a warm Duration into the first call's at `memoryMb`. */
  inflate(durationMs: number, memoryMb: number, random: Random): number;
}

/** One of the SeBS functions' ratios, chosen by the seed: each run's function behaves like one of them. */
export function firstCallModel(seed: number): FirstCallModel {
  const names = Object.keys(SEBS_FIRST_CALL_RATIOS);
  const name = names[Math.floor(createRandom(deriveSeed(seed, 11))() * names.length)]!;
  const row = SEBS_FIRST_CALL_RATIOS[name]!;
  return {
    name,
    inflate: (durationMs, memoryMb, random) =>
      durationMs * ratioAt(row, memoryMb) * Math.exp(CALL_SPREAD * standardNormal(random)),
  };
}

/**
 * As a live target behaves: the first call of each prepared size is a cold
 * start with Init ~200-400 ms, billed since August 2025
 * (docs/lambda-facts.md, "Billing"); with `model`, its Duration is inflated too.
 */
export function withColdStarts(target: ReplayTarget, seed: number, model?: FirstCallModel): Target {
  const random = createRandom(deriveSeed(seed, 7));
  return {
    kind: target.kind,
    describe: () => target.describe(),
    availableSizes: () => target.availableSizes(),
    capacity: (m) => target.capacity(m),
    restore: () => target.restore(),
    async prepare(memoryMb) {
      const prepared = await target.prepare(memoryMb);
      let cold = true;
      return {
        memoryMb,
        release: () => prepared.release(),
        async invoke(payload) {
          const invocation = await prepared.invoke(payload);
          if (!cold) return invocation;
          cold = false;
          const initDurationMs = Math.round((200 + 200 * random()) * 100) / 100;
          const { record } = invocation;
          const durationMs =
            model === undefined
              ? record.durationMs
              : Math.round(model.inflate(record.durationMs, memoryMb, random) * 100) / 100;
          const billedDurationMs = Math.ceil(durationMs + initDurationMs);
          const cold_: ReportRecord = { ...record, durationMs, initDurationMs, billedDurationMs };
          return { ...invocation, record: cold_ };
        },
      };
    },
  };
}
