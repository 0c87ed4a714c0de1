import { UsageError } from "../errors.js";
import { parseNonNegativeInt, parsePositiveInt } from "../flags.js";
import type { CloudWatchMethod } from "../logs/sources/cloudwatch-query.js";
import { parseTimeWindow, parseWindowSpan } from "../logs/time-window.js";
import { DEFAULT_SAMPLE_PER_SIZE } from "../model/size-accumulator.js";
import { ANALYSIS_FORMATS, type AnalysisFormat } from "../report/render-analysis.js";
import { checkDependents, type Dependent } from "./applicable.js";

/** Without --since, CloudWatch Logs is read over the last day. */
export const DEFAULT_SINCE = "24h";
/** --method auto: FilterLogEvents up to a day, Logs Insights for longer windows. */
export const INSIGHTS_ABOVE_MS = 86_400_000;
export const STDIN_NAME = "<stdin>";

const METHODS = ["auto", "filter", "insights"] as const;

export type AnalyzeSource =
  | { kind: "files"; files: string[]; stdin: boolean; windowMs: number | null }
  | {
      kind: "cloudwatch";
      functionName: string;
      startMs: number;
      endMs: number;
      method: CloudWatchMethod;
      /** --method auto: where Logs Insights is not served (an emulator), read with FilterLogEvents. */
      fallBackToFilter: boolean;
    };

export interface AnalyzeSettings {
  functionName: string | null;
  source: AnalyzeSource;
  region: string | undefined;
  profile: string | undefined;
  endpointUrl: string | undefined;
  architecture: string;
  pricePerGbSecond: number | undefined;
  pricePerRequest: number | undefined;
  seed: number;
  samplePerSize: number;
  output: AnalysisFormat;
  out: string | undefined;
  /** -q: no warnings on stderr. */
  quiet: boolean;
}

function text(raw: Record<string, unknown>, name: string): string | undefined {
  const value = raw[name];
  return typeof value === "string" ? value : undefined;
}

function price(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number) || number < 0) {
    throw new UsageError(`${flag} must be a number of US dollars, not '${value}'`, {
      hint: `e.g. ${flag} 0.0000166667`,
    });
  }
  return number;
}

function outputOf(raw: Record<string, unknown>): AnalysisFormat {
  const output = text(raw, "output");
  if (raw.json === true && output !== undefined && output !== "json") {
    throw new UsageError(`--json and --output ${output} ask for different outputs`, {
      hint: "keep one of them",
    });
  }
  const chosen = raw.json === true ? "json" : (output ?? "table");
  if ((ANALYSIS_FORMATS as readonly string[]).includes(chosen)) return chosen as AnalysisFormat;
  throw new UsageError(`unknown --output '${chosen}'`, {
    hint: `use one of: ${ANALYSIS_FORMATS.join(", ")}`,
  });
}

function sourceOf(
  functionArg: string | undefined,
  raw: Record<string, unknown>,
  now: number,
): AnalyzeSource {
  const logFiles = Array.isArray(raw.logFile) ? (raw.logFile as string[]) : [];
  const since = text(raw, "since");
  const until = text(raw, "until");
  const window = text(raw, "window");
  const fromStdin = functionArg === "-";
  if (logFiles.length > 0 || fromStdin || functionArg === undefined) {
    if (since !== undefined || until !== undefined) {
      throw new UsageError(
        "--since and --until choose CloudWatch Logs events; log files have no such window",
        {
          hint: "to read CloudWatch Logs name the function without --log-file; for files say how long they span with --window (e.g. --window 7d)",
        },
      );
    }
    return {
      kind: "files",
      files: logFiles,
      stdin: fromStdin || logFiles.length === 0,
      windowMs: window === undefined ? null : parseWindowSpan("--window", window),
    };
  }
  if (window !== undefined) {
    throw new UsageError(
      "--window is for log files; CloudWatch Logs is read over --since..--until",
      {
        hint: "give --since (and --until) instead, e.g. --since 7d",
      },
    );
  }
  const { startMs, endMs } = parseTimeWindow(since, until, now, DEFAULT_SINCE);
  const methodText = text(raw, "method") ?? "auto";
  if (!(METHODS as readonly string[]).includes(methodText)) {
    throw new UsageError(`unknown --method '${methodText}'`, {
      hint: `use one of: ${METHODS.join(", ")}`,
    });
  }
  const insights =
    methodText === "insights" || (methodText === "auto" && endMs - startMs > INSIGHTS_ABOVE_MS);
  return {
    kind: "cloudwatch",
    functionName: functionArg,
    startMs,
    endMs,
    method: insights ? "logs-insights" : "filter-log-events",
    fallBackToFilter: methodText === "auto",
  };
}

const READING_FILES =
  "the records come from log files (or stdin), not CloudWatch Logs; to read CloudWatch Logs name the function without --log-file";

/** Flags of a CloudWatch read, refused when the records come from files. */
const FILE_ONLY_REFUSED: readonly Dependent[] = ["--method", "--profile", "--endpoint-url"].map(
  (flag) => ({
    flags: flag,
    needs: () => false,
    problem: `${flag} applies only to reading CloudWatch Logs`,
    hint: `drop ${flag}: ${READING_FILES}`,
  }),
);

/** `analyze`'s options, checked: everything a user can get wrong fails here with exit 2. */
export function parseAnalyzeOptions(
  functionArg: string | undefined,
  raw: Record<string, unknown>,
  now: number,
): AnalyzeSettings {
  const source = sourceOf(functionArg, raw, now);
  if (source.kind === "files") checkDependents(raw, FILE_ONLY_REFUSED);
  const seed = text(raw, "seed");
  const sample = text(raw, "samplePerSize");
  return {
    functionName: functionArg === undefined || functionArg === "-" ? null : functionArg,
    source,
    region: text(raw, "region"),
    profile: text(raw, "profile"),
    endpointUrl: text(raw, "endpointUrl"),
    architecture: text(raw, "architecture") ?? "x86_64",
    pricePerGbSecond: price("--price-per-gb-second", text(raw, "pricePerGbSecond")),
    pricePerRequest: price("--price-per-request", text(raw, "pricePerRequest")),
    seed: seed === undefined ? 1 : parseNonNegativeInt("--seed", seed),
    samplePerSize:
      sample === undefined
        ? DEFAULT_SAMPLE_PER_SIZE
        : parsePositiveInt("--sample-per-size", sample),
    output: outputOf(raw),
    out: text(raw, "out"),
    quiet: raw.quiet === true,
  };
}
