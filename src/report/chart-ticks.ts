/** Axis ranges and tick values at round numbers, for the SVG charts. */
export interface Axis {
  min: number;
  max: number;
  ticks: number[];
}

const STEP_MULTIPLES = [1, 2, 2.5, 5, 10];
// Memory sizes are chosen in powers of two, so ticks at multiples of 128 MB line up with them.
const MEMORY_STEPS = [64, 128, 256, 512, 1024, 2048];

/** The smallest round step (1, 2, 2.5 or 5 times a power of ten) giving at most `maxTicks` intervals. */
export function niceStep(span: number, maxTicks: number): number {
  if (!(span > 0)) return 1;
  const raw = span / maxTicks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const multiple = STEP_MULTIPLES.find((m) => m * magnitude >= raw) ?? 10;
  return multiple * magnitude;
}

/** An axis covering `low..high` whose ends and ticks fall on multiples of `step`. */
function axisWithStep(low: number, high: number, step: number): Axis {
  const min = Math.floor(low / step + 1e-9) * step;
  let max = Math.ceil(high / step - 1e-9) * step;
  if (max <= min) max = min + step;
  const ticks: number[] = [];
  for (let i = 0; min + i * step <= max + step * 1e-9; i++) {
    ticks.push(Number((min + i * step).toPrecision(12)));
  }
  return { min, max, ticks };
}

/** A value axis over `values`: from zero when asked, with a band around a single value. */
export function valueAxis(values: readonly number[], fromZero: boolean, maxTicks = 6): Axis {
  const finite = values.filter(Number.isFinite);
  let low = fromZero ? 0 : Math.min(...finite);
  let high = Math.max(...finite);
  if (finite.length === 0) return { min: 0, max: 1, ticks: [0, 1] };
  if (high === low) {
    const margin = Math.abs(high) * 0.1 || 1;
    high += margin;
    if (!fromZero) low -= margin;
  }
  return axisWithStep(low, high, niceStep(high - low, maxTicks));
}

/** A memory axis over `low..high` MB with ticks at multiples of 64, 128, 256 ... MB. */
export function memoryAxis(low: number, high: number, maxTicks = 8): Axis {
  if (high - low < 1) return memoryAxis(low - 64, high + 64, maxTicks);
  const span = Math.max(high - low, 1);
  const step = MEMORY_STEPS.find((s) => span / s <= maxTicks) ?? niceStep(span, maxTicks);
  return axisWithStep(low, high, step);
}
