import { resultJson } from "../document/canonical.js";
import type { ResultDocument } from "../document/result.js";
import { InterruptedError } from "../errors.js";
import { predict } from "../model/fit.js";
import { renderComparisonText } from "../report/render-comparison.js";
import { renderResult } from "../report/renderers.js";
import { tune } from "../tune/tune.js";
import { checkSameFunction, compareWithBaseline } from "./baseline.js";
import { choosePlan } from "./choose-plan.js";
import { type CliIo, useColor, write } from "./io.js";
import { writeFileAtomically } from "./output-file.js";
import { type Progress, progressFor } from "./progress.js";
import { readResultFile } from "./result-file.js";
import { parseRunOptions, pricingFor } from "./run-options.js";
import { VERSION } from "./version.js";

/** `lambda-tune run`: sweep, recommend, print; the target is restored whatever happens. */
export async function runCommand(
  functionArg: string,
  raw: Record<string, unknown>,
  io: CliIo,
): Promise<number> {
  const settings = await parseRunOptions(functionArg, raw, io.cwd);
  // A bad baseline fails now, before any invocation is spent.
  const baseline =
    settings.baseline === undefined ? undefined : await readResultFile(io.cwd, settings.baseline);
  // Before the target, so the aws target can abort its calls in flight on Ctrl-C.
  const abort = new AbortController();
  const target = await settings.createTarget({
    functionArg: settings.functionArg,
    cwd: io.cwd,
    env: io.env,
    concurrency: settings.concurrency,
    seed: settings.seed,
    plannedSizes: settings.sizes,
    signal: abort.signal,
    ...(settings.region !== undefined && { region: settings.region }),
    ...(settings.architecture !== undefined && { architecture: settings.architecture }),
    ...(settings.timeoutSeconds !== undefined && { timeoutSeconds: settings.timeoutSeconds }),
  });
  let interrupted: "SIGINT" | "SIGTERM" | undefined;
  const onSignal = (signal: "SIGINT" | "SIGTERM") => {
    interrupted = signal;
    abort.abort(new InterruptedError(signal));
  };
  const onInt = () => onSignal("SIGINT");
  const onTerm = () => onSignal("SIGTERM");
  process.once("SIGINT", onInt);
  process.once("SIGTERM", onTerm);
  let progress: Progress | undefined;

  let doc: ResultDocument;
  try {
    const described = await target.describe();
    if (baseline !== undefined && settings.baseline !== undefined) {
      await checkSameFunction(baseline, described.name, settings.baseline, settings.force, io);
    }
    const pricing = pricingFor(settings, described);
    const { plan, notes } = choosePlan(settings, target);
    const info = { ...described, warnings: [...described.warnings, ...notes] };
    const json = settings.output === "json";
    const stop = await target.preflight?.({ plan, info, pricing, json });
    if (stop !== undefined) {
      await write(io.stdout, stop.output);
      return 0;
    }
    progress = progressFor(io, settings.quiet, plan.kind === "adaptive" ? plan.budget : undefined);
    doc = await tune({
      target,
      info,
      plan,
      seed: settings.seed,
      payload: settings.payloads.events[0]!,
      ...(settings.payloads.events.length > 1 && {
        events: settings.payloads.events,
        payloads: {
          mix: {
            labels: settings.payloads.labels,
            weights: settings.payloads.weights,
            seed: settings.seed,
          },
          previews: settings.payloads.previews,
        },
      }),
      concurrency: settings.concurrency,
      pricing,
      strategy: settings.strategy,
      ...(settings.maxP95Ms !== undefined && { maxP95Ms: settings.maxP95Ms }),
      ...(settings.balancedTolerance !== undefined && {
        balancedTolerance: settings.balancedTolerance,
      }),
      ...(settings.tieTolerance !== undefined && { tieTolerance: settings.tieTolerance }),
      ...(settings.coldStartRate !== undefined && {
        coldStartRate: settings.coldStartRate.rate,
        coldStartSource: settings.coldStartRate.source,
      }),
      billInit: settings.billInit,
      targetKind: target.kind,
      toolVersion: VERSION,
      now: io.now,
      signal: abort.signal,
      ...(progress && { onProgress: progress.onProgress }),
    });
    const applied = (await target.apply?.(doc)) ?? [];
    await write(io.stderr, applied.map((line) => `lambda-tune: ${line}\n`).join(""));
  } catch (error) {
    if (interrupted !== undefined) throw new InterruptedError(interrupted);
    throw error;
  } finally {
    progress?.done();
    await target.restore();
    const warnings = target.restoreWarnings?.() ?? [];
    await write(io.stderr, warnings.map((w) => `lambda-tune: warning: ${w}\n`).join(""));
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  }
  if (interrupted !== undefined) throw new InterruptedError(interrupted);

  const comparison =
    baseline && settings.baseline !== undefined
      ? compareWithBaseline(doc, baseline, { failOnRegression: settings.failOnRegression })
      : undefined;
  const fit = doc.model;
  const color = useColor(io);
  await write(
    io.stdout,
    renderResult(doc, settings.output, {
      color,
      width: Math.max(60, Math.min(io.columns, 140)),
      verbose: settings.verbose,
      ...(fit !== null && { predict: (memoryMb: number) => predict(fit, memoryMb) }),
      ...(comparison && { comparison: comparison.comparison }),
    }),
  );
  if (comparison !== undefined && settings.output !== "markdown") {
    // stdout holds only the document with --json; the comparison then goes to stderr.
    const stream = settings.output === "json" ? io.stderr : io.stdout;
    const text = renderComparisonText(comparison.comparison, { color });
    await write(stream, text.endsWith("\n") ? text : `${text}\n`);
  }
  if (settings.output === "json" && doc.warnings.length > 0) {
    // The document carries them too; a person watching a --json run should still see them.
    await write(io.stderr, doc.warnings.map((w) => `lambda-tune: warning: ${w}\n`).join(""));
  }
  if (settings.out !== undefined) await writeFileAtomically(io.cwd, settings.out, resultJson(doc));
  if (comparison?.error) throw comparison.error;
  return 0;
}
