import { InterruptedError } from "../errors.js";
import { predict } from "../model/fit.js";
import { renderResult } from "../report/renderers.js";
import type { ResultDocument } from "../report/result.js";
import { tune } from "../tune/tune.js";
import { choosePlan } from "./choose-plan.js";
import { createTarget } from "./create-target.js";
import { type CliIo, useColor, write } from "./io.js";
import { writeFileAtomically } from "./output-file.js";
import { terminalProgress } from "./progress.js";
import { parseRunOptions, pricingFor } from "./run-options.js";
import { VERSION } from "./version.js";

/** `lambda-tune run`: sweep, recommend, print; the target is restored whatever happens. */
export async function runCommand(
  functionArg: string,
  raw: Record<string, unknown>,
  io: CliIo,
): Promise<number> {
  const settings = await parseRunOptions(functionArg, raw, io.cwd);
  const target = await createTarget(settings, io);
  const abort = new AbortController();
  let interrupted: "SIGINT" | "SIGTERM" | undefined;
  const onSignal = (signal: "SIGINT" | "SIGTERM") => {
    interrupted = signal;
    abort.abort(new InterruptedError(signal));
  };
  const onInt = () => onSignal("SIGINT");
  const onTerm = () => onSignal("SIGTERM");
  process.once("SIGINT", onInt);
  process.once("SIGTERM", onTerm);
  const progress =
    io.stderrIsTty && !settings.quiet && io.env.CI === undefined
      ? terminalProgress(io.stderr)
      : undefined;

  let doc: ResultDocument;
  try {
    const described = await target.describe();
    const pricing = pricingFor(settings, described);
    const { plan, planSummary, notes } = choosePlan(settings, target, pricing);
    const info = { ...described, warnings: [...described.warnings, ...notes] };
    doc = await tune({
      target,
      info,
      plan,
      planSummary,
      payload: settings.payload,
      concurrency: settings.concurrency,
      pricing,
      strategy: settings.strategy,
      ...(settings.maxP95Ms !== undefined && { maxP95Ms: settings.maxP95Ms }),
      ...(settings.balancedTolerance !== undefined && {
        balancedTolerance: settings.balancedTolerance,
      }),
      targetKind: target.kind,
      toolVersion: VERSION,
      now: io.now,
      signal: abort.signal,
      ...(progress && { onProgress: progress.onProgress }),
    });
  } catch (error) {
    if (interrupted !== undefined) throw new InterruptedError(interrupted);
    throw error;
  } finally {
    progress?.done();
    await target.restore();
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  }
  if (interrupted !== undefined) throw new InterruptedError(interrupted);

  const fit = doc.model;
  await write(
    io.stdout,
    renderResult(doc, settings.output, {
      color: useColor(io),
      width: Math.max(60, Math.min(io.columns, 140)),
      ...(fit !== null && { predict: (memoryMb: number) => predict(fit, memoryMb) }),
    }),
  );
  if (settings.output === "json" && doc.warnings.length > 0) {
    // The document carries them too; a person watching a --json run should still see them.
    await write(io.stderr, doc.warnings.map((w) => `lambda-tune: warning: ${w}\n`).join(""));
  }
  if (settings.out !== undefined) {
    await writeFileAtomically(io.cwd, settings.out, `${JSON.stringify(doc, null, 2)}\n`);
  }
  return 0;
}
