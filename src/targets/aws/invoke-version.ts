import { setTimeout as sleep } from "node:timers/promises";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { InvokeCommand, type InvokeCommandOutput, type LambdaClient } from "@aws-sdk/client-lambda";
import { errorName, isThrottling, isTransientError, mayHaveRun } from "../../aws/errors.js";
import type { Invocation } from "../../document/invocation.js";
import { RunError, UsageError } from "../../errors.js";
import { parseLogTail } from "../../logs/parser.js";
import type { ReportRecord } from "../../logs/record.js";
import { findReportInLogs, type LogLookupOptions } from "./log-lookup.js";

/** Retrying Invoke: throttling until it goes through, other transient failures a few times. */
export interface ThrottleOptions {
  /** Give up after being throttled this long for one invocation (default 5 min). */
  maxWaitMs?: number;
  /** First backoff delay, doubled per retry up to `maxDelayMs` (defaults 200 ms, 10 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Attempts that failed otherwise (409, 5xx, a lost connection) before giving up (default 6). */
  maxFailures?: number;
}

export interface InvokeVersionOptions {
  /** A client that sends each request once (`AwsClients.invoker`), so every attempt is seen. */
  lambda: LambdaClient;
  logs: CloudWatchLogsClient;
  /** FunctionName for the API (name or ARN). */
  functionName: string;
  /** The bare name, for the log group. */
  logName: string;
  version: string;
  memoryMb: number;
  payload: string;
  throttle?: ThrottleOptions;
  logLookup?: LogLookupOptions;
  signal?: AbortSignal;
  /**
   * Called for each attempt that failed but may have run the function and
   * been billed (its answer lost, or a 5xx): the target finds those in the log.
   */
  onMaybeRan?: () => void;
}

function retryAfterMs(error: unknown): number {
  const seconds = Number((error as { retryAfterSeconds?: unknown }).retryAfterSeconds);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}

function describeError(error: unknown): string {
  const name = errorName(error);
  const message = error instanceof Error ? error.message : String(error);
  return name === undefined || name === "Error" || message.includes(name)
    ? message
    : `${name}: ${message}`;
}

/**
 * Invoke, retried with backoff: throttling (429, which never reached the
 * function) until it goes through, so each planned invocation counts once;
 * a conflict (409), a service error (5xx) or a lost connection up to
 * `maxFailures` times, reporting each attempt that may have run. Then a
 * RunError: the sweep stops with what it measured.
 */
async function invokeWithRetries(options: InvokeVersionOptions): Promise<InvokeCommandOutput> {
  const throttle = options.throttle ?? {};
  const started = Date.now();
  const command = new InvokeCommand({
    FunctionName: options.functionName,
    Qualifier: options.version,
    InvocationType: "RequestResponse",
    LogType: "Tail",
    Payload: new TextEncoder().encode(options.payload),
  });
  const send = options.signal === undefined ? {} : { abortSignal: options.signal };
  let failures = 0;
  for (let retry = 0; ; retry++) {
    try {
      return await options.lambda.send(command, send);
    } catch (error) {
      options.signal?.throwIfAborted();
      const name = errorName(error);
      if (name === "RequestTooLargeException") {
        throw new UsageError("the payload is larger than Lambda accepts (6 MB synchronous)", {
          hint: "give a smaller --payload or --payload-file",
          cause: error,
        });
      }
      const backoff = Math.min(
        throttle.maxDelayMs ?? 10_000,
        (throttle.baseDelayMs ?? 200) * 2 ** Math.min(retry, 30),
      );
      // Full jitter: concurrent callers spread out instead of retrying together.
      let delay = Math.random() * backoff;
      if (isThrottling(error)) {
        if (Date.now() - started > (throttle.maxWaitMs ?? 300_000)) {
          const reason = (error as { Reason?: string }).Reason;
          throw new RunError(
            `${options.functionName} stayed throttled${reason ? ` (${reason})` : ""} for over ${Math.round((Date.now() - started) / 1000)} s`,
            {
              hint: "lower --concurrency, or raise the function's reserved or the account's concurrency",
              cause: error,
            },
          );
        }
        // Never sooner than Lambda's Retry-After (429 carries Retry-After;
        // docs/lambda-facts.md, "Lambda API").
        delay = Math.max(retryAfterMs(error), delay);
      } else if (name === "ResourceConflictException" || isTransientError(error)) {
        if (mayHaveRun(error)) options.onMaybeRan?.();
        failures++;
        if (failures >= (throttle.maxFailures ?? 6)) {
          throw new RunError(
            `could not invoke ${options.logName}:${options.version} (${options.memoryMb} MB): ${describeError(error)}, ${failures} times in a row`,
            {
              hint: "Lambda or the network kept failing; the result holds what was measured before, and every invocation paid for is in tuningCost",
              cause: error,
            },
          );
        }
      } else {
        throw error;
      }
      await sleep(delay, undefined, options.signal ? { signal: options.signal } : {});
    }
  }
}

function errorTypeOf(payload: string): string | undefined {
  try {
    const body = JSON.parse(payload) as { errorType?: unknown };
    return typeof body.errorType === "string" ? body.errorType : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Invokes one published version with `LogType: Tail` and reads its REPORT
 * record from the tail (base64 of the last 4 KB, REPORT last), else from
 * CloudWatch Logs by request id. A handler error is a record with status error.
 */
export async function invokeVersion(options: InvokeVersionOptions): Promise<Invocation> {
  const startedAt = Date.now();
  const response = await invokeWithRetries(options);
  const requestId = response.$metadata.requestId;
  const logTail =
    response.LogResult === undefined
      ? undefined
      : Buffer.from(response.LogResult, "base64").toString("utf8");
  let record: ReportRecord | undefined = logTail === undefined ? undefined : parseLogTail(logTail);
  if (record !== undefined && requestId !== undefined && record.requestId !== requestId) {
    record = undefined;
  }
  if (record === undefined && requestId !== undefined) {
    record = await findReportInLogs(options.logs, options.logName, requestId, startedAt, {
      ...options.logLookup,
      ...(options.signal !== undefined && { signal: options.signal }),
    });
  }
  if (record === undefined) {
    throw new RunError(
      `no REPORT record for request ${requestId ?? "(no request id)"} of ${options.logName}:${options.version}, in the log tail or in CloudWatch Logs`,
      {
        hint: "check that the function writes to CloudWatch Logs (its role needs logs:CreateLogStream and logs:PutLogEvents) and that lambda-tune may call logs:FilterLogEvents",
      },
    );
  }
  if (record.memorySizeMB !== options.memoryMb) {
    throw new RunError(
      `version ${options.version} of ${options.logName} ran with ${record.memorySizeMB} MB, not the ${options.memoryMb} MB lambda-tune set`,
      { hint: "someone changed the function during the run; run again when it is left alone" },
    );
  }
  const responseText =
    response.Payload === undefined ? undefined : Buffer.from(response.Payload).toString("utf8");
  const functionError = response.FunctionError;
  if (functionError !== undefined && record.status === "success") {
    // Lambda's REPORT line has no Status for a handler that threw; X-Amz-Function-Error says it failed.
    const errorType = responseText === undefined ? undefined : errorTypeOf(responseText);
    record = { ...record, status: "error", ...(errorType !== undefined && { errorType }) };
  }
  return {
    record,
    ...(responseText !== undefined && { response: responseText }),
    ...(functionError !== undefined && { functionError }),
    ...(logTail !== undefined && { logTail }),
  };
}
