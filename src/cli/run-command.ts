import { resultJson } from "../document/canonical.js";
import type { ResultDocument } from "../document/result.js";
import { InterruptedError, type LambdaTuneError, RunError } from "../errors.js";
import { predict } from "../model/fit.js";
import { gatedSize } from "../model/gate.js";
import { renderComparisonText } from "../report/render-comparison.js";
import { firstErrorText } from "../report/render-table.js";
import { renderResult } from "../report/renderers.js";
import type { RestoreReport } from "../targets/target.js";
import { tuneOutcome } from "../tune/tune.js";
import { checkSameFunction, compareWithBaseline } from "./baseline.js";
import { choosePlan } from "./choose-plan.js";
import { type CliIo, outputWidth, useColor, write } from "./io.js";
import { checkWritable, writeFileAtomically } from "./output-file.js";
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
  // Every path is checked before the first invocation: a run refused later has paid for nothing.
  if (settings.out !== undefined) await checkWritable(io.cwd, settings.out);
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

  let doc: ResultDocument | undefined;
  let stopped: LambdaTuneError | undefined;
  let restored: RestoreReport | undefined;
  try {
    const described = await target.describe();
    if (!settings.quiet) {
      await write(io.stderr, (described.notes ?? []).map((n) => `lambda-tune: ${n}\n`).join(""));
    }
    if (baseline !== undefined && settings.baseline !== undefined) {
      await checkSameFunction(baseline, described.name, settings.baseline, settings.force, io);
    }
    const pricing = pricingFor(settings, described);
    // With a baseline, the size the comparison gates is measured enough to compare.
    const gated = baseline && gatedSize(described.currentMemoryMb, baseline);
    const { plan, notes } = choosePlan(settings, target, gated);
    const info = { ...described, warnings: [...described.warnings, ...notes] };
    const json = settings.output === "json";
    const stop = await target.preflight?.({ plan, info, pricing, json });
    if (stop !== undefined) {
      await write(io.stdout, stop.output);
      return 0;
    }
    progress = progressFor(io, settings.quiet, plan.kind === "adaptive" ? plan.budget : undefined);
    ({ doc, stopped } = await tuneOutcome({
      target,
      info,
      plan,
      seed: settings.seed,
      pauseMs: settings.pauseMs,
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
    }));
    // A sweep cut short is not applied.
    const finished = doc;
    const applied = stopped === undefined ? ((await target.apply?.(finished)) ?? []) : [];
    await write(io.stderr, applied.map((line) => `lambda-tune: ${line}\n`).join(""));
  } catch (error) {
    if (interrupted === undefined) throw error;
  } finally {
    progress?.done();
    await target.restore();
    restored = target.restoreReport?.();
    const warnings = restored?.warnings ?? [];
    await write(io.stderr, warnings.map((w) => `lambda-tune: warning: ${w}\n`).join(""));
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  }
  // Ctrl-C says what cleaning up did: the function restored, or someone else's change kept.
  if (interrupted !== undefined) {
    throw new InterruptedError(interrupted, restored?.conflict?.message ?? restored?.summary);
  }
  if (doc === undefined) throw new Error("the run ended without a result or an error");

  const comparison =
    baseline && settings.baseline !== undefined
      ? compareWithBaseline(doc, baseline, settings)
      : undefined;
  const fit = doc.model;
  const color = useColor(io);
  await write(
    io.stdout,
    renderResult(doc, settings.output, {
      color,
      width: outputWidth(io),
      verbose: settings.verbose,
      ...(fit !== null && { predict: (memoryMb: number) => predict(fit, memoryMb) }),
      ...(comparison && { comparison: comparison.comparison }),
    }),
  );
  if (comparison !== undefined && settings.output !== "markdown") {
    // stdout holds only the document with --json; the comparison then goes to stderr.
    const stream = settings.output === "json" ? io.stderr : io.stdout;
    const text = renderComparisonText(comparison.comparison, { color, width: outputWidth(io) });
    await write(stream, text.endsWith("\n") ? text : `${text}\n`);
  }
  if (settings.output === "json" && !settings.quiet && doc.warnings.length > 0) {
    // The document carries them too; a person watching a --json run should still see them.
    await write(io.stderr, doc.warnings.map((w) => `lambda-tune: warning: ${w}\n`).join(""));
  }
  if (settings.out !== undefined) await writeFileAtomically(io.cwd, settings.out, resultJson(doc));
  // Someone else's change outranks what it made the sweep stop with: it says what was kept.
  const ended = restored?.conflict ?? stopped;
  if (ended !== undefined) throw ended;
  const failed = everySizeFailed(doc);
  if (failed !== undefined) throw failed;
  if (comparison?.error) throw comparison.error;
  return 0;
}

/**
 * A run in which every measured size failed has nothing to recommend: it failed
 * (exit 1), and says what the function said, so a CI job does not pass on it.
 */
function everySizeFailed(doc: ResultDocument): RunError | undefined {
  if (doc.recommendation !== null || doc.tiers.length === 0) return undefined;
  if (!doc.tiers.every((tier) => tier.errors > 0)) return undefined;
  const first = doc.tiers.find((tier) => tier.firstError !== undefined);
  const said =
    first?.firstError === undefined
      ? ""
      : `; at ${first.memoryMb} MB the first error was ${firstErrorText(first.firstError)}`;
  return new RunError(`every measured size failed, so there is no recommendation${said}`, {
    hint: "fix the function or what it needs (its environment, its permissions, its payload) and run again; the table above shows each size's failures",
  });
}
