import type { Comparison } from "../document/comparison.js";
import type { ResultDocument } from "../document/result.js";
import { GateError, UsageError } from "../errors.js";
import { parseFraction } from "../flags.js";
import { formatPercent } from "../format.js";
import { compareResults } from "../model/compare.js";
import { type CliIo, write } from "./io.js";

export interface BaselineOptions {
  /** `--fail-on-regression` as a fraction; no gate when absent. */
  failOnRegression: number | undefined;
  /** `--force`: compare even when the baseline is for another function. */
  force: boolean;
}

/** `--fail-on-regression`: "10%" or a fraction such as "0.1" (flags.ts, parseFraction). */
export function parseThreshold(text: string): number {
  return parseFraction("--fail-on-regression", text);
}

/** `--baseline`, `--fail-on-regression` and `--force` of `run`, checked (commander's raw options). */
export function parseBaselineOptions(
  raw: Record<string, unknown>,
): { baseline: string | undefined } & BaselineOptions {
  const baseline = typeof raw.baseline === "string" ? raw.baseline : undefined;
  const threshold = typeof raw.failOnRegression === "string" ? raw.failOnRegression : undefined;
  if (baseline === undefined && threshold !== undefined) {
    throw new UsageError("--fail-on-regression needs a baseline to compare with", {
      hint: "add --baseline previous.json (a result from an earlier run's --out)",
    });
  }
  return {
    baseline,
    failOnRegression: threshold === undefined ? undefined : parseThreshold(threshold),
    force: raw.force === true,
  };
}

/**
 * Refuses to compare results of different functions unless forced, when it
 * only warns. Throws UsageError (exit 2).
 */
export async function checkSameFunction(
  baseline: ResultDocument,
  currentFunction: string,
  baselineName: string,
  force: boolean,
  io: CliIo,
): Promise<void> {
  if (baseline.function === currentFunction) return;
  const message = `${baselineName} is a result for ${baseline.function}, not ${currentFunction}`;
  if (!force) {
    throw new UsageError(message, {
      hint: "give a baseline of the same function, or add --force to compare them anyway",
    });
  }
  await write(io.stderr, `lambda-tune: warning: ${message}; comparing anyway (--force)\n`);
}

/** The gate's verdict as the error that makes the CLI exit 3, or undefined when it passed. */
export function gateFailure(comparison: Comparison): GateError | undefined {
  const gate = comparison.gate;
  if (gate === null || !gate.tripped) return undefined;
  const reasons = gate.checks.filter((c) => c.tripped).map((c) => c.detail);
  return new GateError(
    `regression gate (--fail-on-regression ${formatPercent(gate.threshold)}) tripped: ${reasons.join("; ")}`,
    {
      hint: "see what changed above; if the change is intended, make this result the new baseline",
    },
  );
}

export interface BaselineOutcome {
  comparison: Comparison;
  /** 3 when the gate tripped, else 0. */
  exitCode: 0 | 3;
  /** What to throw after printing the output, so the CLI reports it and exits 3. */
  error: GateError | undefined;
}

/**
 * The comparison and gate for a baseline already read (readResultFile) and
 * checked to be of the same function (checkSameFunction), as `run` does
 * before the sweep so that a wrong baseline costs no invocation.
 */
export function compareWithBaseline(
  doc: ResultDocument,
  baseline: ResultDocument,
  options: Pick<BaselineOptions, "failOnRegression">,
): BaselineOutcome {
  const comparison = compareResults(baseline, doc, {
    ...(options.failOnRegression !== undefined && { threshold: options.failOnRegression }),
  });
  const error = gateFailure(comparison);
  return { comparison, exitCode: error === undefined ? 0 : 3, error };
}
