import { UsageError } from "../errors.js";
import { MAX_MEMORY_MB, MIN_MEMORY_MB } from "../lambda.js";

export const DEFAULT_SIZES: readonly number[] = [128, 256, 512, 1024, 1536];
export const DEFAULT_INVOCATIONS = 10;

const MEMORY_HINT =
  `give sizes in MB from ${MIN_MEMORY_MB} to ${MAX_MEMORY_MB} as a list, a range start-end:step, or both, ` +
  "e.g. --memory 128,256,512 or --memory 128-3008:64 or --memory 128,512-1024:256";

function memoryError(message: string): UsageError {
  return new UsageError(`--memory: ${message}`, { hint: MEMORY_HINT });
}

function parseWholeNumber(token: string, part: string, what: string): number {
  const text = token.trim();
  if (!/^[+-]?\d+(\.\d*)?$/.test(text)) {
    throw memoryError(`${what} "${text}" in "${part}" is not a number`);
  }
  const value = Number(text);
  if (!Number.isInteger(value)) {
    throw memoryError(`${what} "${text}" in "${part}" is not a whole number of MB`);
  }
  return value;
}

function checkSize(size: number, part: string): number {
  if (size < MIN_MEMORY_MB || size > MAX_MEMORY_MB) {
    throw memoryError(
      `${size} MB in "${part}" is outside Lambda's ${MIN_MEMORY_MB}..${MAX_MEMORY_MB} MB`,
    );
  }
  return size;
}

function parseRange(part: string): number[] {
  const colon = part.indexOf(":");
  if (colon < 0) throw memoryError(`the range "${part}" has no step (start-end:step)`);
  const bounds = part.slice(0, colon);
  const dash = bounds.indexOf("-", 1);
  if (dash < 0) throw memoryError(`"${part}" is not a range start-end:step`);
  const start = checkSize(parseWholeNumber(bounds.slice(0, dash), part, "start"), part);
  const end = checkSize(parseWholeNumber(bounds.slice(dash + 1), part, "end"), part);
  const step = parseWholeNumber(part.slice(colon + 1), part, "step");
  if (step <= 0) throw memoryError(`the step ${step} in "${part}" must be above 0`);
  if (end < start) throw memoryError(`the range "${part}" ends below its start`);
  const sizes: number[] = [];
  for (let size = start; size <= end; size += step) sizes.push(size);
  return sizes;
}

/**
 * The sizes of `--memory`: a list (`128,256,512`), ranges that include their
 * end when it falls on a step (`128-3008:64`), or both; sorted, de-duplicated.
 */
export function parseMemorySpec(text: string): number[] {
  if (text.trim() === "") throw memoryError("no sizes given");
  const sizes = new Set<number>();
  for (const raw of text.split(",")) {
    const part = raw.trim();
    if (part === "") throw memoryError(`an empty entry in "${text}"`);
    const isRange = part.includes(":") || part.indexOf("-", 1) > 0;
    const partSizes = isRange
      ? parseRange(part)
      : [checkSize(parseWholeNumber(part, part, "size"), part)];
    for (const size of partSizes) sizes.add(size);
  }
  return [...sizes].sort((a, b) => a - b);
}
