import type { ResultDocument } from "../document/result.js";
import { UsageError } from "../errors.js";
import { curveModel } from "../model/curves.js";
import { predict } from "../model/fit.js";
import {
  isOutputFormat,
  type RenderOptions,
  renderers,
  renderResult,
} from "../report/renderers.js";
import { type CliIo, outputWidth, useColor, write } from "./io.js";
import { checkWritable, writeFileAtomically } from "./output-file.js";
import { readResultFile } from "./result-file.js";

export interface ReportOptions {
  /** A renderer's name; table when absent. */
  output?: string;
  /** --json: the same as --output json. */
  json?: boolean;
  /** Write the rendering to this file instead of stdout. */
  out?: string;
  /** The detail behind the recommendation, not only its paragraph. */
  verbose?: boolean;
}

/** `lambda-tune report result.json`: renders a saved result document again, in any output format. */
export async function reportCommand(
  file: string,
  options: ReportOptions,
  io: CliIo,
): Promise<number> {
  if (options.json === true && options.output !== undefined && options.output !== "json") {
    throw new UsageError(`--json and --output ${options.output} ask for different outputs`, {
      hint: "keep one of them",
    });
  }
  const format = options.json === true ? "json" : (options.output ?? "table");
  if (options.verbose === true && format !== "table") {
    throw new UsageError("--verbose adds detail to the table output only", {
      hint: "drop --verbose, or use --output table (the JSON document always holds every detail)",
    });
  }
  if (!isOutputFormat(format)) {
    throw new UsageError(`unknown output format "${format}"`, {
      hint: `pass --output ${Object.keys(renderers).join(", --output ")}`,
    });
  }
  if (options.out !== undefined) await checkWritable(io.cwd, options.out);
  const doc = await readResultFile(io.cwd, file);
  const toFile = options.out !== undefined;
  const text = renderResult(doc, format, {
    // A file is read later, elsewhere: no escape codes in it.
    color: !toFile && useColor(io),
    width: outputWidth(io),
    verbose: options.verbose === true,
    ...fittedCurve(doc),
  });
  if (options.out === undefined) await write(io.stdout, text);
  else await writeFileAtomically(io.cwd, options.out, text);
  return 0;
}

/** The saved model as a function, when this version knows the model by name. */
function fittedCurve(doc: ResultDocument): Pick<RenderOptions, "predict"> {
  const fit = doc.model;
  if (fit === null || curveModel(fit.name) === undefined) return {};
  return { predict: (memoryMb: number) => predict(fit, memoryMb) };
}
