import { createRandom, deriveSeed, shuffled } from "./random.js";

/**
 * Several events with weights (`--payload-file` with AWS Lambda Power
 * Tuning's `[{"payload": ..., "weight": n}]`, or NDJSON with equal weights).
 * Every size gets the same calls in the same seeded order: its first call
 * (cold on a live target) the round's first payload, then rounds in which
 * every payload comes once, so a size's first P + 1 calls hold one warm call
 * of each. Costs and durations are then weighted by `weights`, not by how
 * often each payload was called.
 */
export interface PayloadMix {
  /** What to call each payload in messages: `#2` for a list, `line 7` for NDJSON. */
  labels: readonly string[];
  /** Weights as given, each above 0. */
  weights: readonly number[];
  seed: number;
}

/** The weights as fractions summing to 1. */
export function normalizedWeights(mix: PayloadMix): number[] {
  const total = mix.weights.reduce((a, b) => a + b, 0);
  return mix.weights.map((w) => w / total);
}

/** Which payload the `callIndex`-th call at any size gets (0-based). */
export function payloadIndexAt(mix: PayloadMix, callIndex: number): number {
  const count = mix.weights.length;
  if (count <= 1) return 0;
  const round = callIndex === 0 ? 0 : Math.floor((callIndex - 1) / count);
  const position = callIndex === 0 ? 0 : (callIndex - 1) % count;
  const order = shuffled(
    Array.from({ length: count }, (_, i) => i),
    createRandom(deriveSeed(mix.seed, round + 1)),
  );
  return order[position]!;
}

/** Calls a size needs before every payload has had a warm call: the cold one and a round. */
export function callsForFullMix(mix: PayloadMix | undefined): number {
  return (mix?.weights.length ?? 1) + 1;
}
