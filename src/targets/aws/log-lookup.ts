import { setTimeout as sleep } from "node:timers/promises";
import {
  type CloudWatchLogsClient,
  FilterLogEventsCommand,
  type FilterLogEventsCommandOutput,
} from "@aws-sdk/client-cloudwatch-logs";
import { errorName } from "../../aws/errors.js";
import { outlastingTransientErrors } from "../../aws/retry.js";
import { parseLogTail } from "../../logs/parser.js";
import type { ReportRecord } from "../../logs/record.js";

export interface LogLookupOptions {
  /** Poll this long for the REPORT line to arrive (default 15 s: CloudWatch Logs delivers late). */
  waitMs?: number;
  /** Between polls (default 1 s). */
  pollMs?: number;
  signal?: AbortSignal;
}

/**
 * The REPORT record of one request from CloudWatch Logs, for when the log
 * tail of the Invoke response lacks it (no X-Amz-Log-Result, or a tail cut
 * inside the REPORT line). Undefined when it did not arrive in time.
 */
export async function findReportInLogs(
  logs: CloudWatchLogsClient,
  functionName: string,
  requestId: string,
  startTime: number,
  options: LogLookupOptions = {},
): Promise<ReportRecord | undefined> {
  const deadline = Date.now() + (options.waitMs ?? 15_000);
  const abort = options.signal === undefined ? {} : { abortSignal: options.signal };
  for (;;) {
    let nextToken: string | undefined;
    do {
      const page = await logs.send(
        new FilterLogEventsCommand({
          logGroupName: `/aws/lambda/${functionName}`,
          // Quoted: the whole phrase must match (CloudWatch Logs filter syntax).
          filterPattern: `"REPORT RequestId: ${requestId}"`,
          // Events are stamped when written; a minute of slack covers clock skew.
          startTime: startTime - 60_000,
          ...(nextToken !== undefined && { nextToken }),
        }),
        abort,
      );
      for (const event of page.events ?? []) {
        const record = parseLogTail(event.message ?? "");
        if (record?.requestId === requestId) return record;
      }
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    if (Date.now() >= deadline) return undefined;
    await sleep(
      options.pollMs ?? 1000,
      undefined,
      options.signal ? { signal: options.signal } : {},
    );
  }
}

/** The UTC days from `startMs` to `endMs`, as log stream names begin (`2024/05/01`). */
function streamDays(startMs: number, endMs: number): string[] {
  const days: string[] = [];
  for (let day = Math.floor(startMs / 86_400_000); day <= Math.floor(endMs / 86_400_000); day++) {
    days.push(new Date(day * 86_400_000).toISOString().slice(0, 10).replaceAll("-", "/"));
  }
  return days;
}

/**
 * The REPORT records of one published version that are not among `answered`:
 * invocations that ran, and were billed, although their answers were lost.
 * A version's log streams are named `YYYY/MM/DD/[VERSION]...`, and the run
 * published the version itself, so every REPORT in them is the run's. Polls
 * until `expected` are found, or the log has caught up (every answered REPORT
 * is in it, looked at twice), or `waitMs` has passed: CloudWatch Logs delivers late.
 */
export async function findUnansweredReports(
  logs: CloudWatchLogsClient,
  functionName: string,
  version: string,
  answered: ReadonlySet<string>,
  startTime: number,
  options: LogLookupOptions & { expected: number },
): Promise<ReportRecord[]> {
  const deadline = Date.now() + (options.waitMs ?? 15_000);
  const abort = options.signal === undefined ? {} : { abortSignal: options.signal };
  for (let polls = 1; ; polls++) {
    const seen = new Map<string, ReportRecord>();
    for (const day of streamDays(startTime - 60_000, Date.now())) {
      let nextToken: string | undefined;
      do {
        const token = nextToken;
        const page: FilterLogEventsCommandOutput | undefined = await outlastingTransientErrors(
          () =>
            logs.send(
              new FilterLogEventsCommand({
                logGroupName: `/aws/lambda/${functionName}`,
                logStreamNamePrefix: `${day}/[${version}]`,
                filterPattern: '"REPORT RequestId"',
                startTime: startTime - 60_000,
                ...(token !== undefined && { nextToken: token }),
              }),
              abort,
            ),
          options.signal,
        ).catch((error: unknown) => {
          // No log group: nothing has run, so nothing was billed.
          if (errorName(error) === "ResourceNotFoundException") return undefined;
          throw error;
        });
        if (page === undefined) return [];
        for (const event of page.events ?? []) {
          const record = parseLogTail(event.message ?? "");
          if (record !== undefined) seen.set(record.requestId, record);
        }
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
    }
    const unanswered = [...seen.values()].filter((record) => !answered.has(record.requestId));
    const caughtUp = [...answered].every((id) => seen.has(id));
    if (unanswered.length >= options.expected || (caughtUp && polls >= 2)) return unanswered;
    if (Date.now() >= deadline) return unanswered;
    await sleep(
      options.pollMs ?? 1000,
      undefined,
      options.signal ? { signal: options.signal } : {},
    );
  }
}
