import type { Readable } from "node:stream";
import type { AnalysisDocument } from "../document/analysis.js";
import type { ReportRecord } from "../logs/record.js";
import { readRecordBatches } from "../logs/sources/read-records.js";
import { createRandom, deriveSeed } from "../model/random.js";
import { LogAccumulator } from "../model/size-accumulator.js";
import { type AnalysisOptions, buildAnalysis } from "./build-analysis.js";

/** A stream of REPORT records in batches, and a count of lines that could not be read. */
export interface RecordSource {
  batches: AsyncIterable<readonly ReportRecord[]>;
  /** Malformed REPORT lines met so far; read after the batches are done. */
  malformed(): number;
}

/** The records of log streams (files, stdin), one after another, through the fast parser. */
export function streamSource(inputs: readonly { stream: Readable; name: string }[]): RecordSource {
  let malformed = 0;
  const onMalformed = () => {
    malformed++;
  };
  async function* batches(): AsyncGenerator<ReportRecord[]> {
    for (const { stream, name } of inputs) {
      yield* readRecordBatches(stream, name, { onMalformed });
    }
  }
  return { batches: batches(), malformed: () => malformed };
}

/**
 * `analyze`'s core: folds every record into per-size accumulators (bounded
 * memory whatever the input: no record is kept but a seeded sample per size)
 * and builds the analysis document. Prints nothing.
 */
export async function analyzeRecords(
  source: RecordSource,
  options: AnalysisOptions,
): Promise<AnalysisDocument> {
  // Each size's sample has its own seeded stream, so it does not depend on the other sizes.
  const acc = new LogAccumulator(
    (memoryMb) => createRandom(deriveSeed(options.seed, memoryMb)),
    options.samplePerSize,
  );
  for await (const batch of source.batches) {
    for (const record of batch) acc.add(record);
  }
  acc.malformed = source.malformed();
  return buildAnalysis(acc, options);
}
