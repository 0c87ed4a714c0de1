import { type ErrorContext, errorName, userFacing } from "../../aws/errors.js";
import { UsageError } from "../../errors.js";
import { publishVersion, type UpdateWaitOptions, updateConfiguration } from "./configure.js";
import type { Connection } from "./connection.js";
import { runDescription } from "./restore.js";
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
 * new version) -> wait until Successful -> PublishVersion. Every step is in
 * the journal before the next. Returns the version.
 */
export async function publishSize(context: PublishContext, memoryMb: number): Promise<string> {
  const { clients } = context.connection;
  const journal = await context.journal.ensure();
  const description = runDescription(context.runId, memoryMb);
  try {
    const after = await userFacing(context.errorContext("lambda:UpdateFunctionConfiguration"), () =>
      updateConfiguration(
        clients.lambda,
        journal.functionArn,
        {
          MemorySize: memoryMb,
          Description: description,
          ...(context.timeoutSeconds !== undefined && { Timeout: context.timeoutSeconds }),
        },
        context.wait,
      ),
    );
    await context.journal.recordSet(journal, {
      memorySize: after.MemorySize ?? memoryMb,
      timeout: after.Timeout ?? journal.timeoutSet,
      description: after.Description ?? description,
      revisionId: after.RevisionId,
    });
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
  const published = await userFacing(context.errorContext("lambda:PublishVersion"), () =>
    publishVersion(clients.lambda, journal.functionArn, context.wait),
  );
  await context.journal.recordPublished(journal, published.Version);
  if (published.MemorySize !== memoryMb || published.Description !== description) {
    throw new UsageError(
      `${context.functionName} was changed by someone else during the run: version ${published.Version} has ${published.MemorySize} MB, '${published.Description}'`,
      { hint: "run again when nobody else is updating the function" },
    );
  }
  return published.Version;
}
