import { MAX_MEMORY_MB, MAX_VCPUS, MB_PER_VCPU } from "../lambda.js";
import {
  fitLine,
  fitProportional,
  gridThenRefine,
  logGrid,
  type WeightedPoint,
} from "./least-squares.js";

/** A measured point of the duration curve: the median duration at one memory size. */
export interface CurvePoint {
  memoryMb: number;
  durationMs: number;
}

export type CurveName = "logarithmic" | "power" | "amdahl" | "exponential";

export type CurveParameters = Record<string, number>;

export interface CurveModel {
  readonly name: CurveName;
  /** The formula with m the memory size in MB and the result in ms. */
  readonly formula: string;
  /** How many sizes a fit needs before it is determined by the data. */
  readonly minPoints: number;
  fit(points: readonly CurvePoint[]): CurveParameters | null;
  predict(parameters: CurveParameters, memoryMb: number): number;
}

/**
 * Relative least squares: weight 1/y^2, so each size counts by its relative
 * error, as the held-out percentage error that picks the model does; durations
 * across sizes differ by up to ~10x.
 */
function weighted(points: readonly CurvePoint[], x: (m: number) => number): WeightedPoint[] {
  return points.map(({ memoryMb, durationMs }) => {
    const y = Math.max(durationMs, 1e-3);
    return { x: x(memoryMb), y, weight: 1 / (y * y) };
  });
}

function parameter(parameters: CurveParameters, name: string): number {
  const value = parameters[name];
  if (value === undefined) throw new Error(`curve parameter ${name} missing`);
  return value;
}

/** The 2017 whitepaper's curve: a + b*ln(m). */
const logarithmic: CurveModel = {
  name: "logarithmic",
  formula: "a + b*ln(m)",
  minPoints: 2,
  fit(points) {
    const line = fitLine(weighted(points, Math.log));
    return line === null ? null : { a: line.a, b: line.b };
  },
  predict: (p, m) => parameter(p, "a") + parameter(p, "b") * Math.log(m),
};

const POWER_EXPONENTS = Array.from({ length: 81 }, (_, i) => -3 + i * 0.05);

/** a*m^b; b = -1 is pure CPU-bound work with no fixed part. */
const power: CurveModel = {
  name: "power",
  formula: "a * m^b",
  minPoints: 2,
  fit(points) {
    const sse = (b: number) =>
      fitProportional(weighted(points, (m) => m ** b))?.sse ?? Number.POSITIVE_INFINITY;
    const best = gridThenRefine(sse, POWER_EXPONENTS);
    if (best === null) return null;
    const fit = fitProportional(weighted(points, (m) => m ** best.t));
    return fit === null ? null : { a: fit.b, b: best.t };
  },
  predict: (p, m) => parameter(p, "a") * m ** parameter(p, "b"),
};

/** Knees tried: whole vCPUs (up to the 10,240 MB maximum), then the measured sizes. */
function kneeCandidates(points: readonly CurvePoint[]): number[] {
  const vcpus = Array.from({ length: MAX_VCPUS }, (_, i) =>
    Math.min(MB_PER_VCPU * (i + 1), MAX_MEMORY_MB),
  );
  const measured = points.map((p) => p.memoryMb).sort((a, b) => a - b);
  return [...new Set([...vcpus, ...measured])];
}

/**
 * Amdahl-style a + b/min(m, knee): the parallel part speeds up with CPU share
 * until the code cannot use more (one vCPU at 1,769 MB for single-threaded code).
 * The knee is chosen from a grid; ties keep the earlier (1,769 MB first).
 */
const amdahl: CurveModel = {
  name: "amdahl",
  formula: "a + b/min(m, knee)",
  minPoints: 2,
  fit(points) {
    let best: CurveParameters | null = null;
    let bestSse = Number.POSITIVE_INFINITY;
    for (const knee of kneeCandidates(points)) {
      const line = fitLine(weighted(points, (m) => 1 / Math.min(m, knee)));
      if (line !== null && line.sse < bestSse * (1 - 1e-9)) {
        bestSse = line.sse;
        best = { a: line.a, b: line.b, knee };
      }
    }
    return best;
  },
  predict: (p, m) => parameter(p, "a") + parameter(p, "b") / Math.min(m, parameter(p, "knee")),
};

/** Parrotfish's a0 + a1*exp(-m/a2); a2 by grid and refinement, a0 and a1 by least squares. */
const exponential: CurveModel = {
  name: "exponential",
  formula: "a0 + a1*exp(-m/a2)",
  minPoints: 3,
  fit(points) {
    const sizes = points.map((p) => p.memoryMb);
    const lo = Math.min(...sizes) / 4;
    const hi = Math.max(...sizes) * 4;
    const lineFor = (a2: number) => fitLine(weighted(points, (m) => Math.exp(-m / a2)));
    const sse = (a2: number) => lineFor(a2)?.sse ?? Number.POSITIVE_INFINITY;
    const best = gridThenRefine(sse, logGrid(lo, hi, 64));
    if (best === null) return null;
    const line = lineFor(best.t);
    return line === null ? null : { a0: line.a, a1: line.b, a2: best.t };
  },
  predict: (p, m) => parameter(p, "a0") + parameter(p, "a1") * Math.exp(-m / parameter(p, "a2")),
};

/** Candidates in order of preference when their held-out errors tie (fewer parameters first). */
export const CURVE_MODELS: readonly CurveModel[] = [logarithmic, power, amdahl, exponential];

export function curveModel(name: string): CurveModel | undefined {
  return CURVE_MODELS.find((model) => model.name === name);
}
