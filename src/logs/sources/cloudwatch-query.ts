import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { errorName, userErrorFor } from "../../aws/errors.js";
import { UsageError } from "../../errors.js";
import type { ReadRecordsOptions } from "./read-records.js";

export type CloudWatchMethod = "filter-log-events" | "logs-insights";

export interface CloudWatchQuery {
  logs: CloudWatchLogsClient;
  logGroupName: string;
  /** Epoch ms, both inclusive. */
  startMs: number;
  endMs: number;
  /** For messages: the endpoint the client talks to. */
  endpoint: string;
  region: string;
  signal?: AbortSignal;
}

export interface CloudWatchReadOptions extends CloudWatchQuery, ReadRecordsOptions {
  method: CloudWatchMethod;
  /** With Logs Insights: read with FilterLogEvents where the endpoint has no StartQuery. */
  fallBackToFilter?: boolean;
  /** Told how a Logs Insights window was split or fell back to FilterLogEvents. */
  onNote?: (note: string) => void;
  /** Between GetQueryResults polls (default 1 s). */
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** The UsageError for a failed CloudWatch Logs call the user can fix, else the error itself. */
export function logsFailure(error: unknown, query: CloudWatchQuery, action: string): unknown {
  if (errorName(error) === "ResourceNotFoundException") {
    return new UsageError(
      `log group ${query.logGroupName} does not exist in ${query.region}: the function may never have run (Lambda creates the group at its first log), or the function name or region is wrong`,
      {
        hint: "check the name and --region (and --profile); `aws logs describe-log-groups --log-group-name-prefix /aws/lambda/` lists the groups",
        cause: error,
      },
    );
  }
  return (
    userErrorFor(error, {
      action,
      functionName: query.logGroupName,
      endpoint: query.endpoint,
      changed: false,
    }) ?? error
  );
}
