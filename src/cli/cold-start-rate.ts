import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { UsageError } from "../errors.js";
import { parseFraction, type RawOptions, textOption } from "../flags.js";
import { formatPercent } from "../format.js";

/** Production's share of cold starts, and where it came from (`recommendation.coldStarts.source`). */
export interface ColdStartRate {
  rate: number;
  source: string;
}

const ANALYSIS_HINT =
  "give --cold-starts-from the JSON `lambda-tune analyze --json` printed for the function's production logs";

/**
 * The cold-start share in an analysis of production logs: cold starts over
 * invocations, summed over every memory size seen.
 */
export function coldStartRateOfAnalysis(value: unknown, path: string): ColdStartRate {
  const doc = value as { kind?: unknown; sizes?: unknown };
  if (
    typeof doc !== "object" ||
    doc === null ||
    doc.kind !== "analysis" ||
    !Array.isArray(doc.sizes)
  ) {
    throw new UsageError(`${path} is not a lambda-tune analysis`, { hint: ANALYSIS_HINT });
  }
  let invocations = 0;
  let coldStarts = 0;
  for (const size of doc.sizes as { invocations?: unknown; coldStarts?: unknown }[]) {
    if (typeof size.invocations !== "number" || typeof size.coldStarts !== "number") {
      throw new UsageError(`${path} is not a lambda-tune analysis: a size lacks its counts`, {
        hint: ANALYSIS_HINT,
      });
    }
    invocations += size.invocations;
    coldStarts += size.coldStarts;
  }
  if (invocations === 0) {
    throw new UsageError(`${path} holds no invocations, so it has no cold-start rate`, {
      hint: "analyze a window with traffic (e.g. --since 7d), or give --cold-start-rate yourself",
    });
  }
  const rate = coldStarts / invocations;
  return {
    rate,
    source: `${path} (${coldStarts} cold starts in ${invocations} invocations: ${formatPercent(rate)})`,
  };
}

/**
 * `--cold-start-rate`, `--cold-starts-from` or `--cold` (every call cold: a
 * rate of 100%); at most one of them. Undefined: the steady state decides.
 */
export async function parseColdStartRate(
  raw: RawOptions,
  cwd: string,
  target: string,
): Promise<ColdStartRate | undefined> {
  const given = textOption(raw, "coldStartRate");
  const from = textOption(raw, "coldStartsFrom");
  // `--cold` is the local target's (a new sandbox per call); elsewhere it changes nothing here.
  const cold = raw.cold === true && target === "local";
  const named = [
    given !== undefined && "--cold-start-rate",
    from !== undefined && "--cold-starts-from",
    cold && "--cold",
  ].filter((name): name is string => typeof name === "string");
  if (named.length > 1) {
    throw new UsageError(`${named.join(" and ")} each set the cold-start rate`, {
      hint: cold
        ? "--cold makes every call cold, a rate of 100%: drop it to weigh warm calls too"
        : "keep one of them",
    });
  }
  if (cold) return { rate: 1, source: "--cold" };
  if (given !== undefined) {
    return {
      rate: parseFraction("--cold-start-rate", given, { max: 1 }),
      source: "--cold-start-rate",
    };
  }
  if (from === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(resolve(cwd, from), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new UsageError(`cannot read ${from} (${code})`, { hint: ANALYSIS_HINT, cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${from} is not a lambda-tune analysis: it is not JSON`, {
      hint: ANALYSIS_HINT,
      cause: error,
    });
  }
  return coldStartRateOfAnalysis(value, from);
}
