import {
  DeleteFunctionCommand,
  type FunctionConfiguration,
  type LambdaClient,
  paginateListVersionsByFunction,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { errorName, userErrorFor, userFacing } from "../../aws/errors.js";
import { outlastingTransientErrors } from "../../aws/retry.js";
import { ConcurrentChangeError, RunError, UsageError } from "../../errors.js";
import { type UpdateWaitOptions, waitForUpdate } from "./configure.js";
import {
  changedOtherSettings,
  otherSettingsOf,
  sameFields,
  type TunedField,
  type TunedFields,
  tunedFieldsOf,
} from "./function-state.js";
import {
  deleteJournal,
  type Journal,
  journalPath,
  restoreCommandFor,
  updateJournal,
} from "./journal.js";

export type { TunedFields } from "./function-state.js";

export interface RestoreContext {
  lambda: LambdaClient;
  /** For messages about an unreachable endpoint. */
  endpoint: string;
  stateDir: string;
  wait: UpdateWaitOptions;
}

export type ConfigurationOutcome =
  /** It had this run's settings and now has the ones wanted. */
  | "restored"
  /** It already had the ones wanted (e.g. a second restore). */
  | "unchanged"
  /** Someone else changed it during the run: their change was kept, the run's own removed. */
  | "changed-by-someone-else";

/** A setting someone else changed during the run, left as they set it. */
export interface KeptChange {
  /** `memory`, `timeout`, `description`, or another setting's name (`Environment`, ...). */
  field: string;
  /** What they set, for the tuned fields. */
  theirs?: string;
  /** What it was before the run, for the tuned fields. */
  before?: string;
}

export interface RestoreOutcome {
  functionName: string;
  configuration: ConfigurationOutcome;
  /** What the function had when restore looked at it. */
  found: TunedFields;
  /** What it has now. */
  now: TunedFields;
  /** The fields this run had set that restore put back, with the values put back. */
  putBack: Partial<TunedFields>;
  /** What someone else changed during the run; restore left it as they set it. */
  kept: KeptChange[];
  deletedVersions: string[];
  /** Versions of this run that were already gone. */
  missingVersions: string[];
  /** Versions of this run that could not be deleted, with why. */
  keptVersions: { version: string; reason: string }[];
  warnings: string[];
}

/** The Description this run sets at a size; unique per run and size, so PublishVersion makes a new version. */
export function runDescription(runId: string, memoryMb: number): string {
  return `lambda-tune ${runId} ${memoryMb} MB`;
}

export function describeFields(fields: TunedFields): string {
  return `${fields.memorySize} MB, timeout ${fields.timeout} s, description '${fields.description}'`;
}

const FIELD_NAMES: Record<TunedField, string> = {
  memorySize: "memory",
  timeout: "timeout",
  description: "description",
};

function show(field: TunedField, fields: Partial<TunedFields>): string {
  if (field === "memorySize") return `${fields.memorySize} MB`;
  if (field === "timeout") return `${fields.timeout} s`;
  return `'${fields.description}'`;
}

/**
 * Whether `found[field]` is a value this run set: its own description, the
 * memory it last set (or the one its description names, when killed before
 * the journal caught up), the timeout it set.
 */
function setByThisRun(journal: Journal, found: TunedFields, field: TunedField): boolean {
  const ownDescription = found.description.startsWith(`lambda-tune ${journal.runId} `);
  switch (field) {
    case "description":
      return ownDescription || found.description === journal.lastSet?.description;
    case "memorySize":
      return (
        found.memorySize === journal.lastSet?.memorySize ||
        (ownDescription && found.description === runDescription(journal.runId, found.memorySize))
      );
    case "timeout":
      return found.timeout === journal.timeoutSet || found.timeout === journal.lastSet?.timeout;
  }
}

const TUNED: readonly TunedField[] = ["memorySize", "timeout", "description"];

/** Which fields go back to `wanted` and which someone else changed, from what the function has now. */
function planRestore(
  journal: Journal,
  current: FunctionConfiguration,
  wanted: TunedFields,
): { putBack: Partial<TunedFields>; kept: KeptChange[] } {
  const found = tunedFieldsOf(current);
  const putBack: Partial<TunedFields> = {};
  const kept: KeptChange[] = [];
  // Untouched since the run's last update: everything in it is the run's.
  const untouched =
    journal.lastSet?.revisionId !== undefined && current.RevisionId === journal.lastSet.revisionId;
  for (const field of TUNED) {
    if (found[field] === wanted[field]) continue;
    if (untouched || setByThisRun(journal, found, field)) {
      Object.assign(putBack, { [field]: wanted[field] });
    } else {
      kept.push({
        field: FIELD_NAMES[field],
        theirs: show(field, found),
        before: show(field, journal.original),
      });
    }
  }
  if (!untouched && journal.others !== undefined) {
    for (const field of changedOtherSettings(journal.others, otherSettingsOf(current))) {
      kept.push({ field });
    }
  }
  return { putBack, kept };
}

function context(ctx: RestoreContext, journal: Journal, action: string) {
  return { action, functionName: journal.functionName, endpoint: ctx.endpoint, changed: true };
}

// Someone else's update racing ours (412) is re-read and re-planned this many times.
const MAX_ATTEMPTS = 5;

/**
 * Puts back the fields this run set, to `wanted` (the original, or the
 * recommendation with --apply), and leaves every field someone else changed
 * as they set it. With someone else's change, --apply's values are not set:
 * the run's own fields go back to the original instead. Each update carries
 * the RevisionId just read, so a change racing it is never overwritten.
 */
export async function putConfiguration(
  ctx: RestoreContext,
  journal: Journal,
  wanted: TunedFields,
  options: { fence?: boolean } = {},
): Promise<
  Pick<RestoreOutcome, "configuration" | "found" | "now" | "putBack" | "kept"> & {
    /** The function's revision once done (for --apply-alias's publish). */
    revisionId: string | undefined;
  }
> {
  let firstFound: TunedFields | undefined;
  let putBackSoFar: Partial<TunedFields> = {};
  for (let attempt = 1; ; attempt++) {
    const current = await userFacing(context(ctx, journal, "lambda:GetFunction"), () =>
      waitForUpdate(ctx.lambda, journal.functionArn, ctx.wait),
    );
    const found = tunedFieldsOf(current);
    firstFound ??= found;
    let plan = planRestore(journal, current, wanted);
    if (plan.kept.length > 0 && !sameFields(wanted, journal.original)) {
      plan = planRestore(journal, current, journal.original);
    }
    // An earlier attempt's update counts only where the function now has what it set.
    const applied = TUNED.filter((field) => putBackSoFar[field] === found[field]);
    const putBack: Partial<TunedFields> = {
      ...Object.fromEntries(applied.map((field) => [field, found[field]])),
      ...plan.putBack,
    };
    const outcome = (now: TunedFields, revisionId: string | undefined) => ({
      configuration: (plan.kept.length > 0
        ? "changed-by-someone-else"
        : Object.keys(putBack).length > 0
          ? "restored"
          : "unchanged") as ConfigurationOutcome,
      found: firstFound ?? found,
      now,
      putBack,
      kept: plan.kept,
      revisionId,
    });
    if (Object.keys(plan.putBack).length === 0) {
      if (options.fence !== true || attempt > 1) return outcome(found, current.RevisionId);
      // A change of the run's may still be on its way (Ctrl-C cut it off): an update that
      // changes nothing moves the revision on, so it is refused (412) when it arrives.
      const fenced = await userFacing(
        context(ctx, journal, "lambda:UpdateFunctionConfiguration"),
        () =>
          outlastingTransientErrors(() =>
            ctx.lambda.send(
              new UpdateFunctionConfigurationCommand({
                FunctionName: journal.functionArn,
                Description: found.description,
                ...(current.RevisionId !== undefined && { RevisionId: current.RevisionId }),
              }),
            ),
          ),
      ).then(
        () => true,
        (error: unknown) => {
          const name = errorName(error);
          if (name === "PreconditionFailedException" || name === "ResourceConflictException") {
            return false;
          }
          throw error;
        },
      );
      // Landed first after all: look again and put back what it set.
      if (!fenced) continue;
      const after = await userFacing(context(ctx, journal, "lambda:GetFunction"), () =>
        waitForUpdate(ctx.lambda, journal.functionArn, ctx.wait),
      );
      return outcome(tunedFieldsOf(after), after.RevisionId);
    }
    // Recorded first: a restore killed after this update still knows these values as the run's.
    // Only the fields put back: a field someone else set must never look like the run's.
    const previous = journal.lastSet ?? journal.original;
    journal.lastSet = {
      memorySize: plan.putBack.memorySize ?? previous.memorySize,
      timeout: plan.putBack.timeout ?? previous.timeout,
      description: plan.putBack.description ?? previous.description,
      revisionId: undefined,
    };
    await updateJournal(ctx.stateDir, journal);
    try {
      await userFacing(context(ctx, journal, "lambda:UpdateFunctionConfiguration"), () =>
        outlastingTransientErrors(() =>
          ctx.lambda.send(
            new UpdateFunctionConfigurationCommand({
              FunctionName: journal.functionArn,
              ...(plan.putBack.memorySize !== undefined && {
                MemorySize: plan.putBack.memorySize,
              }),
              ...(plan.putBack.timeout !== undefined && { Timeout: plan.putBack.timeout }),
              ...(plan.putBack.description !== undefined && {
                Description: plan.putBack.description,
              }),
              // Only if nobody changed it since it was read (412 otherwise).
              ...(current.RevisionId !== undefined && { RevisionId: current.RevisionId }),
            }),
          ),
        ),
      );
    } catch (error) {
      const name = errorName(error);
      const raced = name === "PreconditionFailedException" || name === "ResourceConflictException";
      if (!raced || attempt >= MAX_ATTEMPTS) throw error;
      // Perhaps applied with its answer lost; the next look tells.
      putBackSoFar = putBack;
      continue;
    }
    const after = await userFacing(context(ctx, journal, "lambda:GetFunction"), () =>
      waitForUpdate(ctx.lambda, journal.functionArn, ctx.wait),
    );
    return outcome(tunedFieldsOf(after), after.RevisionId);
  }
}

/** This run's versions: the journal's, and any whose description carries the run id (a publish whose answer was lost). */
async function versionsOfThisRun(ctx: RestoreContext, journal: Journal): Promise<string[]> {
  const versions = new Set(journal.publishedVersions);
  const prefix = `lambda-tune ${journal.runId} `;
  await userFacing(context(ctx, journal, "lambda:ListVersionsByFunction"), () =>
    outlastingTransientErrors(
      async () => {
        const pages = paginateListVersionsByFunction(
          { client: ctx.lambda },
          { FunctionName: journal.functionArn },
        );
        for await (const page of pages) {
          for (const version of page.Versions ?? []) {
            if (version.Version !== undefined && version.Version !== "$LATEST") {
              if (version.Description?.startsWith(prefix)) versions.add(version.Version);
            }
          }
        }
      },
      undefined,
      { conflicts: true },
    ),
  );
  return [...versions].sort((a, b) => Number(a) - Number(b));
}

/** Deletes exactly the versions this run published; pre-existing versions and aliases are never touched. */
export async function deleteRunVersions(
  ctx: RestoreContext,
  journal: Journal,
): Promise<Pick<RestoreOutcome, "deletedVersions" | "missingVersions" | "keptVersions">> {
  const outcome = {
    deletedVersions: [] as string[],
    missingVersions: [] as string[],
    keptVersions: [] as { version: string; reason: string }[],
  };
  for (const version of await versionsOfThisRun(ctx, journal)) {
    try {
      await outlastingTransientErrors(() =>
        ctx.lambda.send(
          new DeleteFunctionCommand({ FunctionName: journal.functionArn, Qualifier: version }),
        ),
      );
      outcome.deletedVersions.push(version);
    } catch (error) {
      const name = errorName(error);
      // Already gone (deleted by an earlier restore that was interrupted, by hand, or by
      // an attempt whose answer was lost): done.
      if (name === "ResourceNotFoundException") outcome.missingVersions.push(version);
      // An alias someone pointed at it during the run: deleting would break them.
      else if (name === "ResourceConflictException") {
        outcome.keptVersions.push({ version, reason: (error as Error).message });
      } else throw userErrorFor(error, context(ctx, journal, "lambda:DeleteFunction")) ?? error;
    }
  }
  return outcome;
}

function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

function describeKept(kept: readonly KeptChange[]): string {
  return listed(
    kept.map((change) =>
      change.theirs === undefined
        ? `their change to ${change.field}`
        : `their ${change.field} ${change.theirs} (${change.before} before the run)`,
    ),
  );
}

/** What a restore that found someone else's change did, in one sentence. */
export function describeConflict(outcome: RestoreOutcome): string {
  const done = [`kept ${describeKept(outcome.kept)}`];
  const putBack = TUNED.filter((field) => outcome.putBack[field] !== undefined);
  if (putBack.length > 0) {
    done.push(
      `put back ${listed(putBack.map((f) => `the ${FIELD_NAMES[f]} ${show(f, outcome.putBack)}`))}`,
    );
  }
  const versions = outcome.deletedVersions.length;
  if (versions > 0) {
    done.push(`deleted the ${versions === 1 ? "version" : `${versions} versions`} it published`);
  }
  return `${outcome.functionName} was changed by someone else during the run: lambda-tune ${listed(done)}`;
}

/** What a restore did, in one line: the configuration it has now and the versions deleted. */
export function describeRestore(outcome: RestoreOutcome): string {
  if (outcome.configuration === "changed-by-someone-else") return describeConflict(outcome);
  const versions = outcome.deletedVersions.length + outcome.missingVersions.length;
  const deleted =
    versions === 0
      ? ""
      : `; the ${versions === 1 ? "version" : `${versions} versions`} it published ${versions === 1 ? "was" : "were"} deleted`;
  return `${outcome.functionName} was restored: ${describeFields(outcome.now)}${deleted}`;
}

/** The error a run ends with when someone else changed the function (exit 4). */
export function conflictError(outcome: RestoreOutcome): ConcurrentChangeError {
  return new ConcurrentChangeError(describeConflict(outcome), {
    hint: "their change is in place; run lambda-tune again when nobody else is changing the function",
  });
}

/** The error that stops a sweep at the moment someone else's change is seen. */
export function changedBySomeoneElse(
  journal: Journal,
  configuration: FunctionConfiguration,
  changedByRun: boolean,
): ConcurrentChangeError {
  const when = changedByRun ? "during the run" : "before lambda-tune changed anything";
  return new ConcurrentChangeError(
    `${journal.functionName} was changed by someone else ${when} (it has ${describeFields(tunedFieldsOf(configuration))}); the sweep stopped`,
    {
      hint: "lambda-tune keeps their change and removes only its own; run again when nobody else is changing the function",
    },
  );
}

/**
 * Puts the function back as the journal says it was (or as `wanted`, for
 * --apply) where this run changed it, deletes this run's versions, then the
 * journal. Idempotent: a second call finds the fields and versions as the
 * first left them. When it fails, the journal stays for `lambda-tune restore`.
 */
export async function restoreFromJournal(
  ctx: RestoreContext,
  journal: Journal,
  wanted: TunedFields = journal.original,
  options: { fence?: boolean } = {},
): Promise<RestoreOutcome> {
  try {
    const { revisionId: _revision, ...configured } = await putConfiguration(
      ctx,
      journal,
      wanted,
      options,
    );
    const versions = await deleteRunVersions(ctx, journal);
    const warnings: string[] = [];
    for (const kept of versions.keptVersions) {
      warnings.push(
        `version ${kept.version} of ${journal.functionName}, published by this run, was kept: ${kept.reason}`,
      );
    }
    await deleteJournal(ctx.stateDir, journal.functionArn);
    return { functionName: journal.functionName, ...configured, ...versions, warnings };
  } catch (error) {
    const path = journalPath(ctx.stateDir, journal.functionArn);
    const message = `could not restore ${journal.functionName}: ${(error as Error).message}`;
    const then = `the journal stays in ${path}; run \`${restoreCommandFor(journal)}\` when the cause is fixed`;
    if (error instanceof UsageError) {
      throw new UsageError(message, { hint: `${error.hint ?? ""}; ${then}`, cause: error.cause });
    }
    throw new RunError(message, { hint: then, cause: error });
  }
}
