import {
  type FunctionConfiguration,
  GetFunctionConfigurationCommand,
  type LambdaClient,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from "@aws-sdk/client-lambda";
import { errorName, isAbortError } from "../../aws/errors.js";
import { outlastingTransientErrors } from "../../aws/retry.js";
import { RunError } from "../../errors.js";
import { type ExpectedState, isInState } from "./function-state.js";

/** How long to wait for configuration updates; the waiter's delays are in seconds. */
export interface UpdateWaitOptions {
  signal?: AbortSignal;
  /** Give up waiting for LastUpdateStatus Successful after this long (default 300 s). */
  maxWaitSeconds?: number;
  /** The waiter's first delay between polls (AWS default 1 s). */
  minDelaySeconds?: number;
}

// A conflict is waited out and retried; more than this many in a row means someone else keeps updating.
const MAX_CONFLICTS = 10;

export async function getConfiguration(
  lambda: LambdaClient,
  functionName: string,
  signal?: AbortSignal,
): Promise<FunctionConfiguration> {
  return outlastingTransientErrors(
    () =>
      lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: functionName }),
        signal === undefined ? {} : { abortSignal: signal },
      ),
    signal,
    { conflicts: true },
  );
}

/**
 * Waits until the function's LastUpdateStatus is Successful and returns its
 * configuration; Failed is a RunError with Lambda's reason.
 */
export async function waitForUpdate(
  lambda: LambdaClient,
  functionName: string,
  options: UpdateWaitOptions,
): Promise<FunctionConfiguration> {
  try {
    const result = await waitUntilFunctionUpdatedV2(
      {
        client: lambda,
        maxWaitTime: options.maxWaitSeconds ?? 300,
        minDelay: options.minDelaySeconds ?? 1,
        maxDelay: Math.max(options.minDelaySeconds ?? 1, 5),
        ...(options.signal !== undefined && { abortSignal: options.signal }),
      },
      { FunctionName: functionName },
    );
    const configuration = result.reason?.Configuration;
    if (configuration !== undefined) return configuration;
  } catch (error) {
    options.signal?.throwIfAborted();
    if (isAbortError(error)) throw error;
    const configuration = await getConfiguration(lambda, functionName, options.signal);
    if (configuration.LastUpdateStatus === "Successful") return configuration;
    throw new RunError(
      `the update of ${functionName} did not succeed: LastUpdateStatus ${configuration.LastUpdateStatus ?? "unknown"}${configuration.LastUpdateStatusReason ? ` (${configuration.LastUpdateStatusReason})` : ""}`,
      {
        hint: "look at the function in the Lambda console; lambda-tune restores what it changed",
        cause: error,
      },
    );
  }
  return getConfiguration(lambda, functionName, options.signal);
}

/** Retries `call` after waiting out an update in progress (409 ResourceConflictException). */
async function outlastingConflicts<T>(
  lambda: LambdaClient,
  functionName: string,
  options: UpdateWaitOptions,
  call: () => Promise<T>,
): Promise<T> {
  for (let conflicts = 0; ; conflicts++) {
    try {
      return await call();
    } catch (error) {
      // "An update is in progress for resource": wait for Successful, then retry
      // (docs/lambda-facts.md, "Control plane").
      if (errorName(error) !== "ResourceConflictException" || conflicts >= MAX_CONFLICTS) {
        throw error;
      }
      await waitForUpdate(lambda, functionName, options);
    }
  }
}

export interface ConfigurationChange {
  MemorySize?: number;
  Timeout?: number;
  Description?: string;
  /** Only update when the function is still at this revision (PreconditionFailedException otherwise). */
  RevisionId?: string;
}

/** UpdateFunctionConfiguration, then wait until it is Successful; returns the configuration after. */
export async function updateConfiguration(
  lambda: LambdaClient,
  functionName: string,
  change: ConfigurationChange,
  options: UpdateWaitOptions,
): Promise<FunctionConfiguration> {
  await outlastingConflicts(lambda, functionName, options, () =>
    lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: functionName, ...change }),
      options.signal === undefined ? {} : { abortSignal: options.signal },
    ),
  );
  return waitForUpdate(lambda, functionName, options);
}

/** PublishVersion of $LATEST, outlasting updates in progress; returns the version's configuration. */
export async function publishVersion(
  lambda: LambdaClient,
  functionName: string,
  options: UpdateWaitOptions,
): Promise<FunctionConfiguration & { Version: string }> {
  const published = await outlastingConflicts(lambda, functionName, options, () =>
    lambda.send(
      new PublishVersionCommand({ FunctionName: functionName }),
      options.signal === undefined ? {} : { abortSignal: options.signal },
    ),
  );
  if (published.Version === undefined) {
    throw new RunError(`PublishVersion of ${functionName} returned no version number`);
  }
  return { ...published, Version: published.Version };
}

/**
 * How a guarded change ended: done (with the configuration after it), or
 * refused because someone else changed the function (with what it has now).
 */
export type GuardedOutcome<T> =
  | { kind: "done"; result: T; configuration: FunctionConfiguration }
  | { kind: "changed-by-someone-else"; configuration: FunctionConfiguration };

// Stale revisions that turn out to be no one's change (Lambda moved the revision on) before giving up.
const MAX_STALE = 4;

function isRefusal(error: unknown): boolean {
  const name = errorName(error);
  return name === "PreconditionFailedException" || name === "ResourceConflictException";
}

/**
 * UpdateFunctionConfiguration with the RevisionId last seen, so it never
 * overwrites someone else's change (Lambda answers 412 then, and 409 while
 * another update is in progress; docs/lambda-facts.md, "Control plane").
 * When refused, or when the answer was lost and the SDK's retry was refused,
 * it looks: its own change applied is done, the function as expected before
 * means only the revision moved (it retries with the new one), anything else
 * is someone else's change, and the function is left as they set it.
 */
export async function guardedUpdate(
  lambda: LambdaClient,
  functionName: string,
  change: { before: ExpectedState; after: ExpectedState; revisionId: string | undefined },
  options: UpdateWaitOptions,
): Promise<GuardedOutcome<undefined>> {
  const { fields } = change.after;
  let revisionId = change.revisionId;
  for (let stale = 0; ; stale++) {
    try {
      await outlastingTransientErrors(
        () =>
          lambda.send(
            new UpdateFunctionConfigurationCommand({
              FunctionName: functionName,
              MemorySize: fields.memorySize,
              Timeout: fields.timeout,
              Description: fields.description,
              ...(revisionId !== undefined && { RevisionId: revisionId }),
            }),
            options.signal === undefined ? {} : { abortSignal: options.signal },
          ),
        options.signal,
      );
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const now = await waitForUpdate(lambda, functionName, options);
      if (isInState(now, change.after))
        return { kind: "done", result: undefined, configuration: now };
      if (!isInState(now, change.before))
        return { kind: "changed-by-someone-else", configuration: now };
      if (stale >= MAX_STALE) throw error;
      revisionId = now.RevisionId;
      continue;
    }
    // Nobody can update while ours is InProgress (409), so what it ends as is ours.
    const now = await waitForUpdate(lambda, functionName, options);
    return isInState(now, change.after)
      ? { kind: "done", result: undefined, configuration: now }
      : { kind: "changed-by-someone-else", configuration: now };
  }
}

/**
 * PublishVersion with the RevisionId read after the last update: the version
 * is exactly what the run set, or none is published (412) and the function
 * is reported as changed by someone else.
 */
export async function guardedPublish(
  lambda: LambdaClient,
  functionName: string,
  expected: ExpectedState,
  revisionId: string | undefined,
  options: UpdateWaitOptions,
): Promise<GuardedOutcome<FunctionConfiguration & { Version: string }>> {
  let revision = revisionId;
  for (let stale = 0; ; stale++) {
    let published: FunctionConfiguration;
    try {
      published = await outlastingTransientErrors(
        () =>
          lambda.send(
            new PublishVersionCommand({
              FunctionName: functionName,
              ...(revision !== undefined && { RevisionId: revision }),
            }),
            options.signal === undefined ? {} : { abortSignal: options.signal },
          ),
        options.signal,
      );
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const now = await waitForUpdate(lambda, functionName, options);
      if (!isInState(now, expected)) return { kind: "changed-by-someone-else", configuration: now };
      if (stale >= MAX_STALE) throw error;
      revision = now.RevisionId;
      continue;
    }
    if (published.Version === undefined) {
      throw new RunError(`PublishVersion of ${functionName} returned no version number`);
    }
    const version = { ...published, Version: published.Version };
    if (!isInState(published, expected)) {
      return { kind: "changed-by-someone-else", configuration: published };
    }
    return { kind: "done", result: version, configuration: published };
  }
}
