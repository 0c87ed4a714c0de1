import { setTimeout as delay } from "node:timers/promises";
import {
  GetQueryResultsCommand,
  type ResultField,
  StartQueryCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { errorName } from "../../aws/errors.js";
import { RunError, UsageError } from "../../errors.js";
import { parseReportLine } from "../parser.js";
import type { ReportRecord } from "../record.js";
import {
  type CloudWatchQuery,
  type CloudWatchReadOptions,
  logsFailure,
} from "./cloudwatch-query.js";

/** The endpoint serves CloudWatch Logs without Logs Insights (an emulator, say). */
class InsightsUnavailable extends Error {}

/** Logs Insights returns at most this many rows per query. */
export const INSIGHTS_MAX_ROWS = 10_000;

/**
 * Lambda's REPORT fields as Logs Insights discovers them; @memorySize and
 * @maxMemoryUsed are in bytes, MB x 10^6 (docs/lambda-facts.md, "CloudWatch Logs").
 * @message is read first: it carries Status and Error Type, which have no field.
 */
export const INSIGHTS_QUERY = [
  "fields @timestamp, @requestId, @duration, @billedDuration, @memorySize, @maxMemoryUsed, @initDuration, @message",
  '| filter @type = "REPORT" or type = "platform.report"',
  "| sort @timestamp asc",
  `| limit ${INSIGHTS_MAX_ROWS}`,
].join("\n");

const BYTES_PER_MB = 1e6;

type Row = Map<string, string>;

function numberField(row: Row, name: string): number | undefined {
  const text = row.get(name);
  if (text === undefined || text === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** A record from one result row: its @message when readable, else the discovered fields. */
export function recordOfRow(fields: readonly ResultField[]): ReportRecord | undefined {
  const row: Row = new Map();
  for (const field of fields) {
    if (field.field !== undefined) row.set(field.field, field.value ?? "");
  }
  const message = row.get("@message");
  const parsed = message === undefined ? undefined : parseReportLine(message.trimEnd());
  if (parsed !== undefined) return parsed;
  const durationMs = numberField(row, "@duration");
  const billedDurationMs = numberField(row, "@billedDuration");
  const memoryBytes = numberField(row, "@memorySize");
  const usedBytes = numberField(row, "@maxMemoryUsed");
  if (
    durationMs === undefined ||
    billedDurationMs === undefined ||
    memoryBytes === undefined ||
    usedBytes === undefined
  ) {
    return undefined;
  }
  const initDurationMs = numberField(row, "@initDuration");
  return {
    requestId: row.get("@requestId") ?? "",
    durationMs,
    billedDurationMs,
    memorySizeMB: Math.round(memoryBytes / BYTES_PER_MB),
    maxMemoryUsedMB: Math.round(usedBytes / BYTES_PER_MB),
    ...(initDurationMs !== undefined && { initDurationMs }),
    status: "success",
  };
}

interface QueryAnswer {
  rows: ResultField[][];
  matched: number;
}

/** One query over [startSecond, endSecond] (epoch seconds, inclusive), polled to its end. */
async function runQuery(
  options: CloudWatchReadOptions,
  startSecond: number,
  endSecond: number,
): Promise<QueryAnswer> {
  const abort = options.signal === undefined ? {} : { abortSignal: options.signal };
  const sleep =
    options.sleep ??
    ((ms: number) => delay(ms, undefined, abort.abortSignal ? { signal: abort.abortSignal } : {}));
  let queryId: string | undefined;
  try {
    const started = await options.logs.send(
      new StartQueryCommand({
        logGroupName: options.logGroupName,
        startTime: startSecond,
        endTime: endSecond,
        queryString: INSIGHTS_QUERY,
        limit: INSIGHTS_MAX_ROWS,
      }),
      abort,
    );
    queryId = started.queryId;
  } catch (error) {
    if (errorName(error) === "UnknownOperationException") {
      throw new InsightsUnavailable((error as Error).message, { cause: error });
    }
    throw logsFailure(error, options, "logs:StartQuery");
  }
  if (queryId === undefined) throw new RunError("Logs Insights started a query without an id");
  for (;;) {
    let answer: Awaited<ReturnType<typeof getResults>>;
    try {
      answer = await getResults(options, queryId, abort);
    } catch (error) {
      throw logsFailure(error, options, "logs:GetQueryResults");
    }
    const status = answer.status ?? "Unknown";
    if (status === "Complete") {
      const rows = answer.results ?? [];
      return { rows, matched: answer.statistics?.recordsMatched ?? rows.length };
    }
    if (status !== "Running" && status !== "Scheduled") {
      throw new RunError(`the Logs Insights query over ${options.logGroupName} ended ${status}`, {
        hint: "run again, or pass --method filter to read the events with FilterLogEvents",
      });
    }
    await sleep(options.pollMs ?? 1000);
  }
}

function getResults(
  options: CloudWatchQuery,
  queryId: string,
  abort: { abortSignal?: AbortSignal },
) {
  return options.logs.send(new GetQueryResultsCommand({ queryId }), abort);
}

function when(second: number): string {
  return new Date(second * 1000).toISOString();
}

/**
 * REPORT records over the window by Logs Insights, in time order. A query
 * that hits the 10,000-row cap is split in two halves, again and again; a
 * single second still over the cap is read with `fallback` (FilterLogEvents),
 * and each of those is told to `onNote`. A split scans its window again, so
 * a busy function costs up to twice the scanned bytes per level.
 */
export async function* readInsightsRecords(
  options: CloudWatchReadOptions,
  fallback: (window: CloudWatchQuery) => AsyncGenerator<ReportRecord[]>,
): AsyncGenerator<ReportRecord[]> {
  let splits = 0;
  async function* window(start: number, end: number): AsyncGenerator<ReportRecord[]> {
    const answer = await runQuery(options, start, end);
    const capped = answer.rows.length >= INSIGHTS_MAX_ROWS || answer.matched > answer.rows.length;
    if (!capped) {
      const records: ReportRecord[] = [];
      for (const row of answer.rows) {
        const record = recordOfRow(row);
        if (record !== undefined) records.push(record);
        else
          await options.onMalformed?.({
            source: options.logGroupName,
            line: 0,
            reason: "a REPORT row without its fields",
            text: "",
          });
      }
      if (records.length > 0) yield records;
      return;
    }
    if (end > start) {
      splits++;
      const middle = Math.floor((start + end) / 2);
      yield* window(start, middle);
      yield* window(middle + 1, end);
      return;
    }
    options.onNote?.(
      `more than ${INSIGHTS_MAX_ROWS} REPORT records in the second at ${when(start)}: read with FilterLogEvents`,
    );
    yield* fallback({ ...options, startMs: start * 1000, endMs: start * 1000 + 999 });
  }
  try {
    // StartQuery takes epoch seconds (docs/lambda-facts.md, "CloudWatch Logs"), both ends inclusive.
    yield* window(Math.floor(options.startMs / 1000), Math.floor(options.endMs / 1000));
  } catch (error) {
    if (!(error instanceof InsightsUnavailable)) throw error;
    if (options.fallBackToFilter !== true) {
      throw new UsageError(`${options.endpoint} does not serve Logs Insights (StartQuery)`, {
        hint: "read the window with FilterLogEvents instead: --method filter",
        cause: error.cause,
      });
    }
    options.onNote?.(
      `${options.endpoint} does not serve Logs Insights (StartQuery): read with FilterLogEvents`,
    );
    yield* fallback(options);
    return;
  }
  if (splits > 0) {
    options.onNote?.(
      `Logs Insights returns at most ${INSIGHTS_MAX_ROWS} rows per query: the window was split into ${splits + 1} queries`,
    );
  }
}
