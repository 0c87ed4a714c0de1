import { UsageError } from "./errors.js";
import { formatPercent } from "./format.js";
import { MAX_TIMEOUT_SECONDS } from "./lambda.js";

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

/**
 * A share, written as a percentage (`2%`) or a fraction (`0.02`): both mean
 * two percent, on every flag that takes one. A bare number of 1 or more is
 * refused as ambiguous (`2`: 2% or 200%?), and so is anything above `max`.
 */
export function parseFraction(flag: string, text: string, limits: { max?: number } = {}): number {
  const trimmed = text.trim();
  const percent = trimmed.endsWith("%");
  const digits = percent ? trimmed.slice(0, -1).trim() : trimmed;
  const number = digits === "" ? Number.NaN : Number(digits);
  const example = `${flag} 2% (or 0.02)`;
  if (!Number.isFinite(number)) {
    throw new UsageError(`${flag} must be a percentage or a fraction, not '${text}'`, {
      hint: `e.g. ${example}`,
    });
  }
  const fraction = percent ? number / 100 : number;
  if (fraction < 0) {
    throw new UsageError(`${flag} cannot be negative, got '${text}'`, { hint: `e.g. ${example}` });
  }
  if (!percent && number >= 1) {
    throw new UsageError(
      `${flag} ${trimmed} is ambiguous: ${trimmed}% or ${formatPercent(number)}?`,
      {
        hint: `write the percent sign (${flag} ${trimmed}%) or a fraction below 1 (${flag} ${number / 100} for ${trimmed}%)`,
      },
    );
  }
  if (limits.max !== undefined && fraction > limits.max) {
    throw new UsageError(`${flag} ${trimmed} is above ${formatPercent(limits.max)}`, {
      hint: `give ${flag} from 0 to ${formatPercent(limits.max)}, e.g. ${example}`,
    });
  }
  return fraction;
}

/** The longest pause between invocations: Lambda's longest timeout, 15 minutes. */
export const MAX_PAUSE_MS = MAX_TIMEOUT_SECONDS * 1000;

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
