import { type ErrorContext, errorName, userFacing } from "../../aws/errors.js";
import { UsageError } from "../../errors.js";
import { guardedPublish, guardedUpdate, type UpdateWaitOptions } from "./configure.js";
import type { Connection } from "./connection.js";
import type { ExpectedState } from "./function-state.js";
import { changedBySomeoneElse, runDescription } from "./restore.js";
import type { RunJournal } from "./run-journal.js";

export interface PublishContext {
  connection: Connection;
  journal: RunJournal;
  runId: string;
  /** The function's name as the user gave it, for messages. */
  functionName: string;
  /** --timeout: set at every size; otherwise the function keeps its own. */
  timeoutSeconds?: number;
  wait: UpdateWaitOptions;
  /** Where errors happened and what had been done by then, for messages. */
  errorContext(action: string): ErrorContext;
}

/**
 * Makes one memory size ready: UpdateFunctionConfiguration (memory and a
 * description unique to this run and size, so PublishVersion always makes a
 * new version) -> wait until Successful -> PublishVersion, each with the
 * RevisionId last read, so nothing of someone else's is ever overwritten (a
 * ConcurrentChangeError then). Every step is in the journal before the
 * next. Returns the version.
 */
export async function publishSize(context: PublishContext, memoryMb: number): Promise<string> {
  const { clients } = context.connection;
  const journal = await context.journal.ensure();
  const last = journal.lastSet ?? journal.original;
  const before: ExpectedState = {
    fields: { memorySize: last.memorySize, timeout: last.timeout, description: last.description },
    others: journal.others,
  };
  const after: ExpectedState = {
    fields: {
      memorySize: memoryMb,
      timeout: context.timeoutSeconds ?? journal.timeoutSet,
      description: runDescription(context.runId, memoryMb),
    },
    others: journal.others,
  };
  let updated: Awaited<ReturnType<typeof guardedUpdate>>;
  try {
    updated = await userFacing(context.errorContext("lambda:UpdateFunctionConfiguration"), () =>
      guardedUpdate(
        clients.lambda,
        journal.functionArn,
        { before, after, revisionId: last.revisionId },
        context.wait,
      ),
    );
  } catch (error) {
    if (errorName(error) === "InvalidParameterValueException") {
      throw new UsageError(
        `Lambda refused ${memoryMb} MB for ${context.functionName}: ${(error as Error).message}`,
        {
          hint: "choose --memory sizes within 128..10240 MB and your account's memory quota",
          cause: error,
        },
      );
    }
    throw error;
  }
  if (updated.kind === "changed-by-someone-else") {
    throw changedBySomeoneElse(journal, updated.configuration, context.journal.changed);
  }
  await context.journal.recordSet(journal, {
    ...after.fields,
    revisionId: updated.configuration.RevisionId,
  });
  const published = await userFacing(context.errorContext("lambda:PublishVersion"), () =>
    guardedPublish(
      clients.lambda,
      journal.functionArn,
      after,
      updated.configuration.RevisionId,
      context.wait,
    ),
  );
  if (published.kind === "changed-by-someone-else") {
    throw changedBySomeoneElse(journal, published.configuration, true);
  }
  await context.journal.recordPublished(journal, published.result.Version);
  return published.result.Version;
}
