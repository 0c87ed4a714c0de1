import { Readable } from "node:stream";
import {
  FilterLogEventsCommand,
  type FilterLogEventsCommandOutput,
} from "@aws-sdk/client-cloudwatch-logs";
import type { ReportRecord } from "../record.js";
import type { CloudWatchQuery, CloudWatchReadOptions } from "./cloudwatch-query.js";
import { logsFailure } from "./cloudwatch-query.js";
import { readInsightsRecords } from "./logs-insights-source.js";
import { type ReadRecordsOptions, readRecordBatches } from "./read-records.js";

/**
 * Text REPORT lines and JSON `platform.report` events
 * (docs/lambda-facts.md, "REPORT records"): `?` terms match either phrase
 * (CloudWatch Logs filter syntax).
 */
export const REPORT_FILTER_PATTERN = '?"REPORT RequestId" ?"platform.report"';

/** Lambda writes a function's logs to this group (docs/lambda-facts.md, "CloudWatch Logs"). */
export function logGroupOf(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** The matching events of [start, end], page by page (FilterLogEvents), as lines of text. */
async function* filterLogEventPages(query: CloudWatchQuery): AsyncGenerator<Buffer> {
  let nextToken: string | undefined;
  do {
    let page: FilterLogEventsCommandOutput;
    try {
      page = await query.logs.send(
        new FilterLogEventsCommand({
          logGroupName: query.logGroupName,
          filterPattern: REPORT_FILTER_PATTERN,
          startTime: query.startMs,
          endTime: query.endMs,
          ...(nextToken !== undefined && { nextToken }),
        }),
        query.signal === undefined ? {} : { abortSignal: query.signal },
      );
    } catch (error) {
      throw logsFailure(error, query, "logs:FilterLogEvents");
    }
    let text = "";
    for (const event of page.events ?? []) {
      const message = event.message ?? "";
      text += message.endsWith("\n") ? message : `${message}\n`;
    }
    if (text !== "") yield Buffer.from(text);
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
}

/** REPORT records of [start, end] read with FilterLogEvents, through the same parser as files. */
export function readFilteredRecords(
  query: CloudWatchQuery,
  options: ReadRecordsOptions = {},
): AsyncGenerator<ReportRecord[]> {
  return readRecordBatches(
    Readable.from(filterLogEventPages(query), { objectMode: false }),
    query.logGroupName,
    options,
  );
}

/** REPORT records of a log group over a window, by FilterLogEvents or Logs Insights. */
export function readCloudWatchRecords(
  options: CloudWatchReadOptions,
): AsyncGenerator<ReportRecord[]> {
  if (options.method === "filter-log-events") return readFilteredRecords(options, options);
  return readInsightsRecords(options, (window) => readFilteredRecords(window, options));
}
