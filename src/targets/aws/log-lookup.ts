import { setTimeout as sleep } from "node:timers/promises";
import { type CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
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
