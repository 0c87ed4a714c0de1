import {
  DeleteFunctionCommand,
  type FunctionConfiguration,
  type LambdaClient,
  paginateListVersionsByFunction,
} from "@aws-sdk/client-lambda";
import { errorName, userErrorFor, userFacing } from "../../aws/errors.js";
import { RunError, UsageError } from "../../errors.js";
import { type UpdateWaitOptions, updateConfiguration, waitForUpdate } from "./configure.js";
import { deleteJournal, type Journal, journalPath, updateJournal } from "./journal.js";

/** The configuration fields lambda-tune changes, and nothing else. */
export interface TunedFields {
  memorySize: number;
  timeout: number;
  description: string;
}

export interface RestoreContext {
  lambda: LambdaClient;
  /** For messages about an unreachable endpoint. */
  endpoint: string;
  stateDir: string;
  wait: UpdateWaitOptions;
}

export type ConfigurationOutcome =
  /** It was at this run's settings and is now at the ones wanted. */
  | "restored"
  /** It was already at the ones wanted (e.g. a second restore). */
  | "unchanged"
  /** Someone else changed it during the run: left as they set it. */
  | "changed-by-someone-else";

export interface RestoreOutcome {
  functionName: string;
  configuration: ConfigurationOutcome;
  /** What the function had when restore looked at it. */
  found: TunedFields;
  /** What it has now. */
  now: TunedFields;
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

function fieldsOf(configuration: FunctionConfiguration): TunedFields {
  return {
    memorySize: configuration.MemorySize ?? 0,
    timeout: configuration.Timeout ?? 0,
    description: configuration.Description ?? "",
  };
}

function sameFields(a: TunedFields, b: TunedFields): boolean {
  return (
    a.memorySize === b.memorySize && a.timeout === b.timeout && a.description === b.description
  );
}

/**
 * Whether the function is as this run left it: at the revision after its last
 * update, at what it last set, or at a size's description with the memory it
 * names and this run's timeout.
 */
export function isAsThisRunLeftIt(journal: Journal, configuration: FunctionConfiguration): boolean {
  const fields = fieldsOf(configuration);
  const last = journal.lastSet;
  if (last !== undefined) {
    if (last.revisionId !== undefined && configuration.RevisionId === last.revisionId) return true;
    if (sameFields(fields, last)) return true;
  }
  return (
    fields.description === runDescription(journal.runId, fields.memorySize) &&
    fields.timeout === journal.timeoutSet
  );
}

export function describeFields(fields: TunedFields): string {
  return `${fields.memorySize} MB, timeout ${fields.timeout} s, description '${fields.description}'`;
}

function context(ctx: RestoreContext, journal: Journal, action: string) {
  return { action, functionName: journal.functionName, endpoint: ctx.endpoint, changed: true };
}

/**
 * Sets the tuned fields to `wanted` if the function is still as this run
 * left it; never overwrites someone else's change (it reports it instead).
 */
export async function putConfiguration(
  ctx: RestoreContext,
  journal: Journal,
  wanted: TunedFields,
): Promise<Pick<RestoreOutcome, "configuration" | "found" | "now" | "warnings">> {
  for (let attempt = 0; ; attempt++) {
    const current = await userFacing(context(ctx, journal, "lambda:GetFunction"), () =>
      waitForUpdate(ctx.lambda, journal.functionArn, ctx.wait),
    );
    const found = fieldsOf(current);
    if (sameFields(found, wanted))
      return { configuration: "unchanged", found, now: found, warnings: [] };
    if (!isAsThisRunLeftIt(journal, current) && !sameFields(found, journal.original)) {
      const original = { ...journal.original };
      return {
        configuration: "changed-by-someone-else",
        found,
        now: found,
        warnings: [
          `${journal.functionName} was changed by someone else during the run (it has ${describeFields(found)}); lambda-tune left their change in place. Before the run it had ${describeFields(original)}.`,
        ],
      };
    }
    if (!sameFields(journal.lastSet ?? found, wanted)) {
      journal.lastSet = { ...wanted, revisionId: undefined };
      await updateJournal(ctx.stateDir, journal);
    }
    try {
      const after = await userFacing(
        context(ctx, journal, "lambda:UpdateFunctionConfiguration"),
        () =>
          updateConfiguration(
            ctx.lambda,
            journal.functionArn,
            {
              MemorySize: wanted.memorySize,
              Timeout: wanted.timeout,
              Description: wanted.description,
              // Only if nobody changed it since we looked (PreconditionFailedException otherwise).
              ...(current.RevisionId !== undefined && { RevisionId: current.RevisionId }),
            },
            ctx.wait,
          ),
      );
      return { configuration: "restored", found, now: fieldsOf(after), warnings: [] };
    } catch (error) {
      if (errorName(error) !== "PreconditionFailedException" || attempt >= 3) throw error;
    }
  }
}

/** This run's versions: the journal's, and any whose description carries the run id (a publish whose answer was lost). */
async function versionsOfThisRun(ctx: RestoreContext, journal: Journal): Promise<string[]> {
  const versions = new Set(journal.publishedVersions);
  const prefix = `lambda-tune ${journal.runId} `;
  await userFacing(context(ctx, journal, "lambda:ListVersionsByFunction"), async () => {
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
  });
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
      await ctx.lambda.send(
        new DeleteFunctionCommand({ FunctionName: journal.functionArn, Qualifier: version }),
      );
      outcome.deletedVersions.push(version);
    } catch (error) {
      const name = errorName(error);
      // Already gone (deleted by an earlier restore that was interrupted, or by hand): done.
      if (name === "ResourceNotFoundException") outcome.missingVersions.push(version);
      // An alias someone pointed at it during the run: deleting would break them.
      else if (name === "ResourceConflictException") {
        outcome.keptVersions.push({ version, reason: (error as Error).message });
      } else throw userErrorFor(error, context(ctx, journal, "lambda:DeleteFunction")) ?? error;
    }
  }
  return outcome;
}

/**
 * Puts the function back as the journal says it was (or as `wanted`, for
 * --apply), deletes this run's versions, then the journal. Idempotent: a
 * second call finds the original fields and the versions gone. When it
 * fails, the journal stays for `lambda-tune restore`.
 */
export async function restoreFromJournal(
  ctx: RestoreContext,
  journal: Journal,
  wanted: TunedFields = journal.original,
): Promise<RestoreOutcome> {
  try {
    const configured = await putConfiguration(ctx, journal, wanted);
    const versions = await deleteRunVersions(ctx, journal);
    const warnings = [...configured.warnings];
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
    const then = `the journal stays in ${path}; run \`lambda-tune restore ${journal.functionName}\` when the cause is fixed`;
    if (error instanceof UsageError) {
      throw new UsageError(message, { hint: `${error.hint ?? ""}; ${then}`, cause: error.cause });
    }
    throw new RunError(message, { hint: then, cause: error });
  }
}
