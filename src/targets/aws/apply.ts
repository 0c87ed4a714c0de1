import {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  UpdateAliasCommand,
} from "@aws-sdk/client-lambda";
import { errorName, userErrorFor, userFacing } from "../../aws/errors.js";
import type { AwsTarget } from "./aws-target.js";
import { guardedPublish } from "./configure.js";
import {
  changedBySomeoneElse,
  putConfiguration,
  type RestoreOutcome,
  restoreFromJournal,
} from "./restore.js";

/** The memory and timeout to put on the function (the recommendation). */
export interface ApplySettings {
  memoryMb: number;
  timeoutSeconds: number;
}

export interface AppliedConfiguration {
  memoryMb: number;
  timeoutSeconds: number;
  /** With --apply-alias: the version the alias points at (none when the alias is new). */
  version?: string;
}

export interface ApplyOutcome {
  /** `function` for --apply (its $LATEST), or the alias name. */
  appliedTo: "function" | { alias: string };
  /** False when someone else changed the function during the run: their change was kept. */
  applied: boolean;
  before: AppliedConfiguration | null;
  after: AppliedConfiguration;
  /** The restore that ended the run (versions deleted, journal removed). */
  restore: RestoreOutcome;
  warnings: string[];
}

/**
 * --apply: after the sweep, set the recommended memory and timeout on the
 * function (its original description back) instead of restoring the
 * original; this run's versions are deleted all the same.
 */
export async function applyToFunction(
  target: AwsTarget,
  settings: ApplySettings,
): Promise<ApplyOutcome> {
  const session = await target.session();
  const journal = await session.journal();
  const outcome = await restoreFromJournal(session.restoreContext, journal, {
    memorySize: settings.memoryMb,
    timeout: settings.timeoutSeconds,
    description: journal.original.description,
  });
  session.finish(outcome);
  const applied = outcome.configuration !== "changed-by-someone-else";
  return {
    appliedTo: "function",
    applied,
    before: { memoryMb: journal.original.memorySize, timeoutSeconds: journal.original.timeout },
    after: applied
      ? settings
      : { memoryMb: outcome.now.memorySize, timeoutSeconds: outcome.now.timeout },
    restore: outcome,
    warnings: outcome.warnings,
  };
}

/**
 * --apply-alias NAME: publish a version with the recommended memory and
 * timeout (and the function's own description), point the alias at it
 * (created when missing, any weighted routing cleared), then restore $LATEST
 * and delete this run's sweep versions.
 */
export async function applyToAlias(
  target: AwsTarget,
  alias: string,
  settings: ApplySettings,
): Promise<ApplyOutcome> {
  const session = await target.session();
  const journal = await session.journal();
  const { lambda, endpoint } = session.restoreContext;
  const ctx = (action: string) => ({
    action,
    functionName: journal.functionName,
    endpoint,
    changed: true,
  });
  const wanted = {
    memorySize: settings.memoryMb,
    timeout: settings.timeoutSeconds,
    description: journal.original.description,
  };
  // Someone else changed the function on the way: restore (their change kept), alias untouched;
  // `after` is what the function has once restored.
  const leftAsItWas = async (warnings: string[]): Promise<ApplyOutcome> => {
    const outcome = await restoreFromJournal(session.restoreContext, journal);
    session.finish(outcome);
    return {
      appliedTo: { alias },
      applied: false,
      before: null,
      after: { memoryMb: outcome.now.memorySize, timeoutSeconds: outcome.now.timeout },
      restore: outcome,
      warnings: [...warnings, `alias ${alias} was left as it was`],
    };
  };
  const set = await putConfiguration(session.restoreContext, journal, wanted);
  if (set.configuration === "changed-by-someone-else") {
    return leftAsItWas([]);
  }
  // Publishing an unchanged configuration returns the existing version (PublishVersion;
  // docs/lambda-facts.md, "Lambda API").
  const guarded = await userFacing(ctx("lambda:PublishVersion"), () =>
    guardedPublish(
      lambda,
      journal.functionArn,
      { fields: wanted, others: journal.others },
      set.revisionId,
      session.restoreContext.wait,
    ),
  );
  if (guarded.kind === "changed-by-someone-else") {
    return leftAsItWas([changedBySomeoneElse(journal, guarded.configuration, true).message]);
  }
  const published = guarded.result;
  let before: AppliedConfiguration | null = null;
  try {
    const current = await lambda.send(
      new GetAliasCommand({ FunctionName: journal.functionArn, Name: alias }),
    );
    const version = current.FunctionVersion ?? "$LATEST";
    const config = await lambda.send(
      new GetFunctionConfigurationCommand({
        FunctionName: journal.functionArn,
        Qualifier: version,
      }),
    );
    before = { memoryMb: config.MemorySize ?? 0, timeoutSeconds: config.Timeout ?? 0, version };
  } catch (error) {
    if (errorName(error) !== "ResourceNotFoundException") {
      throw userErrorFor(error, ctx("lambda:GetAlias")) ?? error;
    }
  }
  const aliasInput = {
    FunctionName: journal.functionArn,
    Name: alias,
    FunctionVersion: published.Version,
  };
  if (before === null) {
    await userFacing(ctx("lambda:CreateAlias"), () =>
      lambda.send(new CreateAliasCommand(aliasInput)),
    );
  } else {
    await userFacing(ctx("lambda:UpdateAlias"), () =>
      lambda.send(
        new UpdateAliasCommand({ ...aliasInput, RoutingConfig: { AdditionalVersionWeights: {} } }),
      ),
    );
  }
  const outcome = await restoreFromJournal(session.restoreContext, journal);
  session.finish(outcome);
  return {
    appliedTo: { alias },
    applied: true,
    before,
    after: { ...settings, version: published.Version },
    restore: outcome,
    warnings: outcome.warnings,
  };
}
