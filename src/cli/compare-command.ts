import type { Comparison } from "../document/comparison.js";
import { UsageError } from "../errors.js";
import { compareResults } from "../model/compare.js";
import { renderComparisonMarkdown, renderComparisonText } from "../report/render-comparison.js";
import {
  checkAllowInconclusive,
  checkSameFunction,
  gateFailure,
  parseThreshold,
} from "./baseline.js";
import { type CliIo, outputWidth, useColor, write } from "./io.js";
import { readResultFile } from "./result-file.js";

const FORMATS = ["table", "markdown", "json"] as const;
type CompareFormat = (typeof FORMATS)[number];

function outputFormat(raw: Record<string, unknown>): CompareFormat {
  const output = typeof raw.output === "string" ? raw.output : "table";
  if ((FORMATS as readonly string[]).includes(output)) return output as CompareFormat;
  throw new UsageError(`unknown --output '${output}'`, {
    hint: `use one of: ${FORMATS.join(", ")}`,
  });
}

function render(comparison: Comparison, format: CompareFormat, io: CliIo): string {
  if (format === "json") return `${JSON.stringify(comparison, null, 2)}\n`;
  if (format === "markdown") return `${renderComparisonMarkdown(comparison)}\n`;
  return `${renderComparisonText(comparison, { color: useColor(io), width: outputWidth(io) })}\n`;
}

/**
 * `lambda-tune compare <baseline> <current>`: what changed between two results
 * of the same function and, with `--fail-on-regression`, the gate (exit 3
 * when it trips, after printing the comparison).
 */
export async function compareCommand(
  files: string[],
  raw: Record<string, unknown>,
  io: CliIo,
): Promise<number> {
  const [baselinePath, currentPath] = files;
  if (files.length !== 2 || baselinePath === undefined || currentPath === undefined) {
    throw new UsageError(`compare needs two result files, not ${files.length}`, {
      hint: "lambda-tune compare baseline.json current.json (results of run --json or --out)",
    });
  }
  const format = outputFormat(raw);
  const thresholdText = typeof raw.failOnRegression === "string" ? raw.failOnRegression : undefined;
  const threshold = thresholdText === undefined ? undefined : parseThreshold(thresholdText);
  checkAllowInconclusive(raw.allowInconclusive === true, thresholdText);
  const baseline = await readResultFile(io.cwd, baselinePath);
  const current = await readResultFile(io.cwd, currentPath);
  await checkSameFunction(baseline, current.function, baselinePath, raw.force === true, io);
  const comparison = compareResults(baseline, current, {
    ...(threshold !== undefined && { threshold }),
    allowInconclusive: raw.allowInconclusive === true,
  });
  await write(io.stdout, render(comparison, format, io));
  const failure = gateFailure(comparison);
  if (failure !== undefined) throw failure;
  return 0;
}
