import { UsageError } from "../errors.js";

// Lambda memory: 128 MB to 10,240 MB in 1 MB steps (LAMBDA-FACTS: memory).
export const MIN_MEMORY_MB = 128;
export const MAX_MEMORY_MB = 10_240;

export const DEFAULT_SIZES: readonly number[] = [128, 256, 512, 1024, 1536];
export const DEFAULT_INVOCATIONS = 10;

const MEMORY_HINT =
  "give sizes in MB from 128 to 10240 as a list, a range start-end:step, or both, " +
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
    throw memoryError(`${size} MB in "${part}" is outside Lambda's 128..10240 MB`);
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

/**
 * Sizes in few words: `128-3008 in steps of 64 (46 sizes)` when evenly
 * spaced, else the list, e.g. `128, 256, 1024 MB`.
 */
export function formatSizes(sizes: readonly number[]): string {
  const sorted = [...new Set(sizes)].sort((a, b) => a - b);
  const first = sorted[0];
  const second = sorted[1];
  const last = sorted.at(-1);
  if (first === undefined || last === undefined) return "no sizes";
  if (second !== undefined && sorted.length >= 3) {
    const step = second - first;
    if (sorted.every((size, i) => size === first + i * step)) {
      return `${first}-${last} MB in steps of ${step} (${sorted.length} sizes)`;
    }
  }
  return `${sorted.join(", ")} MB`;
}

function parseInteger(name: string, text: string, min: number, what: string): number {
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`${name} must be ${what}, not "${text}"`, {
      hint: `give ${name} a whole number of ${min} or more, e.g. ${name} ${Math.max(min, 10)}`,
    });
  }
  return value;
}

/** A flag's value that must be a whole number above 0 (-n, --concurrency, --budget). */
export function parsePositiveInt(name: string, text: string): number {
  return parseInteger(name, text, 1, "a whole number above 0");
}

/** A flag's value that must be a whole number, 0 allowed (--seed). */
export function parseNonNegativeInt(name: string, text: string): number {
  return parseInteger(name, text, 0, "a whole number of 0 or more");
}

/** The longest pause between invocations: 15 minutes, Lambda's longest timeout (LAMBDA-FACTS.md). */
export const MAX_PAUSE_MS = 900_000;

/**
 * `--pause <ms>`: how long to wait after each invocation ends before the next
 * at the same size starts (AWS Lambda Power Tuning's sleepBetweenRunsMs).
 * Milliseconds from 0 to 900,000; fractions allowed (e.g. 159.6).
 */
export function parsePause(text: string): number {
  const value = /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 0 && value <= MAX_PAUSE_MS)) {
    const what = /^\s*-/.test(text)
      ? "negative"
      : Number.isNaN(value)
        ? "not a number of milliseconds"
        : "longer than 15 minutes";
    throw new UsageError(
      `--pause must be milliseconds from 0 to ${MAX_PAUSE_MS}: "${text}" is ${what}`,
      {
        hint: "give --pause the milliseconds to wait between invocations at a size, e.g. --pause 100 (0, the default, does not wait)",
      },
    );
  }
  return value;
}
