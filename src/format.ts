/**
 * How numbers and sizes are written wherever text is produced (renderers,
 * reasons, warnings, errors). Locale-independent, so output is stable.
 */

/** Milliseconds: whole above 100, one decimal above 10, else three significant digits. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const abs = Math.abs(ms);
  if (abs >= 100) return groupThousands(Math.round(ms).toString());
  if (abs >= 10) return ms.toFixed(1);
  if (abs === 0) return "0";
  return trimZeros(ms.toPrecision(3));
}

/** A duration with its unit, in seconds from 10 s up. */
export function formatDuration(ms: number): string {
  return Math.abs(ms) >= 10_000 ? `${formatSignificant(ms / 1000)} s` : `${formatMs(ms)} ms`;
}

/** US dollars: $2.08, $20.8, $208, $0.21, and two significant digits below 10 cents ($0.00042). */
export function formatUsd(usd: number): string {
  if (!Number.isFinite(usd)) return `$${usd}`;
  const sign = usd < 0 ? "-" : "";
  const abs = Math.abs(usd);
  if (abs === 0) return "$0";
  if (abs >= 100) return `${sign}$${groupThousands(Math.round(abs).toString())}`;
  if (abs >= 10) return `${sign}$${abs.toFixed(1)}`;
  if (abs >= 0.1) return `${sign}$${abs.toFixed(2)}`;
  const decimals = Math.ceil(-Math.log10(abs)) + 1;
  return `${sign}$${trimZeros(abs.toFixed(decimals))}`;
}

/** Megabytes, grouped: 1769 -> "1,769". */
export function formatMb(mb: number): string {
  return groupThousands(Math.round(mb).toString());
}

/** A fraction as a percentage: 0.031 -> "3.1%", 0.25 -> "25%". */
export function formatPercent(fraction: number): string {
  const percent = fraction * 100;
  const abs = Math.abs(percent);
  if (abs >= 10 || abs === 0) return `${Math.round(percent)}%`;
  return `${trimZeros(percent.toFixed(abs >= 1 ? 1 : 2))}%`;
}

/** A count with its noun: "1 call", "2 calls" (`plural` when adding "s" is wrong). */
export function formatCount(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

/** A fraction with its sign: +12%, −3.4%, 0% (a true minus sign, as in the tables). */
export function formatSignedPercent(fraction: number): string {
  if (fraction === 0) return "0%";
  return `${fraction > 0 ? "+" : "−"}${formatPercent(Math.abs(fraction))}`;
}

/** How many times: 1.2x, 13x (one decimal below 10). */
export function formatTimes(ratio: number): string {
  if (!Number.isFinite(ratio)) return `${ratio}x`;
  return `${Math.abs(ratio) >= 10 ? Math.round(ratio) : trimZeros(ratio.toFixed(1))}x`;
}

/** Three significant digits without exponent notation: 1234 -> "1234", 3.14159 -> "3.14". */
export function formatSignificant(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toString();
  if (value === 0) return "0";
  return trimZeros(value.toPrecision(3));
}

function trimZeros(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
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
