import { UsageError } from "./errors.js";

/**
 * Command-line values, checked: each parser names the flag and the fix when
 * the value is wrong (UsageError, exit 2). Options arrive as commander parsed
 * them, a record of strings and booleans.
 */
export type RawOptions = Readonly<Record<string, unknown>>;

/** A string option's value, when given. */
export function textOption(raw: RawOptions, name: string): string | undefined {
  const value = raw[name];
  return typeof value === "string" ? value : undefined;
}

/** One of a fixed set of words. */
export function oneOf<T extends string>(flag: string, value: string, known: readonly T[]): T {
  if ((known as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`unknown ${flag} '${value}'`, {
    hint: `use one of: ${known.join(", ")}`,
  });
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

/** A whole number above 0 (-n, --concurrency, --budget). */
export function parsePositiveInt(name: string, text: string): number {
  return parseInteger(name, text, 1, "a whole number above 0");
}

/** A whole number, 0 allowed (--seed). */
export function parseNonNegativeInt(name: string, text: string): number {
  return parseInteger(name, text, 0, "a whole number of 0 or more");
}

/** A number above 0 of `unit` (ms, USD); `example` is a sensible value for the hint. */
export function parsePositiveNumber(
  flag: string,
  value: string,
  unit: string,
  example: string,
): number {
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number) || number <= 0) {
    throw new UsageError(`${flag} must be a positive number of ${unit}, not '${value}'`, {
      hint: `e.g. ${flag} ${example}`,
    });
  }
  return number;
}

/** A percentage, `10%` or `10`, as a fraction (0.1). */
export function parsePercent(flag: string, value: string): number {
  const number = Number(value.replace(/%$/, ""));
  if (!Number.isFinite(number) || number < 0) {
    throw new UsageError(`${flag} must be a percentage, not '${value}'`, {
      hint: `e.g. ${flag} 10%`,
    });
  }
  return number / 100;
}
