import type { SizeEstimate } from "./size-estimates.js";

/** cost = a + b*ln(m) + c*ln(m)^2, fitted to measured mean costs. */
export interface CostParabola {
  a: number;
  b: number;
  c: number;
}

function solve3(matrix: number[][], vector: number[]): number[] | null {
  const m = matrix.map((row, i) => [...row, vector[i]!]);
  for (let col = 0; col < 3; col++) {
    let pivot = col;
    for (let row = col + 1; row < 3; row++) {
      if (Math.abs(m[row]![col]!) > Math.abs(m[pivot]![col]!)) pivot = row;
    }
    if (Math.abs(m[pivot]![col]!) < 1e-300) return null;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let row = 0; row < 3; row++) {
      if (row === col) continue;
      const factor = m[row]![col]! / m[col]![col]!;
      for (let k = col; k < 4; k++) m[row]![k]! -= factor * m[col]![k]!;
    }
  }
  return m.map((row, i) => row[3]! / row[i]!);
}

/**
 * A local model of cost (not duration) over memory, to choose which gap to
 * measure next. Duration curves such as a + b/m make cost rise with memory
 * everywhere (docs/lambda-facts.md, "Cost curves"), so they cannot point at an
 * interior optimum; a parabola in ln(m) can. It only guides: measured means decide.
 * Weighted by calls over the squared standard error; null below three clean sizes.
 */
export function fitCostParabola(estimates: readonly SizeEstimate[]): CostParabola | null {
  const points = estimates.filter((e) => !e.failed);
  if (points.length < 3) return null;
  // Centre ln(m) for conditioning.
  const centre = points.reduce((sum, p) => sum + Math.log(p.memoryMb), 0) / points.length;
  const normal = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const rhs = [0, 0, 0];
  for (const point of points) {
    const x = Math.log(point.memoryMb) - centre;
    const basis = [1, x, x * x];
    const weight = 1 / Math.max(point.standardErrorUsd, point.meanCostUsd * 1e-4) ** 2;
    for (let i = 0; i < 3; i++) {
      rhs[i]! += weight * basis[i]! * point.meanCostUsd;
      for (let j = 0; j < 3; j++) normal[i]![j]! += weight * basis[i]! * basis[j]!;
    }
  }
  const solution = solve3(normal, rhs);
  if (solution === null || !solution.every(Number.isFinite)) return null;
  const [a0, b0, c] = solution as [number, number, number];
  // Back from centred x = ln(m) - centre to ln(m).
  return { a: a0 - b0 * centre + c * centre * centre, b: b0 - 2 * c * centre, c };
}

export function parabolaCost(parabola: CostParabola, memoryMb: number): number {
  const x = Math.log(memoryMb);
  return parabola.a + parabola.b * x + parabola.c * x * x;
}
