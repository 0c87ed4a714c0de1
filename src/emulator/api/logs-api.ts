import { ApiError } from "./api-error.js";
import { compileFilterPattern } from "./filter-pattern.js";
import { ACCOUNT_ID } from "./function-reference.js";
import type { LogEvent, LogGroup, LogStore } from "./log-store.js";

type Input = Record<string, unknown>;

function text(input: Input, key: string): string | undefined {
  const value = input[key];
  return typeof value === "string" ? value : undefined;
}

function number(input: Input, key: string): number | undefined {
  const value = input[key];
  return typeof value === "number" ? value : undefined;
}

function invalid(message: string): ApiError {
  return new ApiError(400, "InvalidParameterException", message);
}

function limitOf(input: Input, max: number): number {
  const limit = number(input, "limit") ?? max;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw invalid(`limit must be an integer from 1 to ${max}`);
  }
  return limit;
}

/** Offsets as opaque tokens (`f/<seq>`, `b/<seq>`, `i/<index>`). */
function tokenNumber(token: string | undefined, prefix: string): number | undefined {
  if (token === undefined) return undefined;
  const match = new RegExp(`^${prefix}/(\\d+)$`).exec(token);
  if (match === null) throw invalid("The specified nextToken is invalid.");
  return Number(match[1]);
}

function groupName(input: Input): string {
  const identifier = text(input, "logGroupIdentifier");
  // An identifier may be the group's ARN (arn:aws:logs:REGION:ACCOUNT:log-group:NAME[:*]).
  const fromArn = identifier
    ?.replace(/^arn:[^:]+:logs:[^:]*:\d*:log-group:/, "")
    .replace(/:\*$/, "");
  const name = text(input, "logGroupName") ?? fromArn;
  if (name === undefined) throw invalid("logGroupName or logGroupIdentifier is required");
  return name;
}

function findGroup(store: LogStore, input: Input): LogGroup {
  const group = store.group(groupName(input));
  if (group === undefined) {
    throw new ApiError(400, "ResourceNotFoundException", "The specified log group does not exist.");
  }
  return group;
}

function inTime(event: LogEvent, input: Input): boolean {
  const start = number(input, "startTime");
  const end = number(input, "endTime");
  return (
    (start === undefined || event.timestamp >= start) &&
    (end === undefined || event.timestamp <= end)
  );
}

function filterLogEvents(store: LogStore, input: Input) {
  const group = findGroup(store, input);
  const names = Array.isArray(input.logStreamNames)
    ? (input.logStreamNames as unknown[])
    : undefined;
  const prefix = text(input, "logStreamNamePrefix");
  const matches = compileFilterPattern(text(input, "filterPattern"));
  const limit = limitOf(input, 10_000);
  const from = tokenNumber(text(input, "nextToken"), "f") ?? 0;
  const events = [];
  let nextSeq: number | undefined;
  for (const event of group.events) {
    if (event.seq < from) continue;
    if (names !== undefined && !names.includes(event.logStreamName)) continue;
    if (prefix !== undefined && !event.logStreamName.startsWith(prefix)) continue;
    if (!inTime(event, input) || !matches(event.message)) continue;
    if (events.length === limit) {
      nextSeq = event.seq;
      break;
    }
    events.push({
      logStreamName: event.logStreamName,
      timestamp: event.timestamp,
      message: event.message,
      ingestionTime: event.ingestionTime,
      eventId: String(event.seq).padStart(56, "0"),
    });
  }
  return {
    events,
    searchedLogStreams: [],
    ...(nextSeq === undefined ? {} : { nextToken: `f/${nextSeq}` }),
  };
}

function getLogEvents(store: LogStore, input: Input) {
  const group = findGroup(store, input);
  const streamName = text(input, "logStreamName");
  if (streamName === undefined || !group.streams.has(streamName)) {
    throw new ApiError(
      400,
      "ResourceNotFoundException",
      "The specified log stream does not exist.",
    );
  }
  const limit = limitOf(input, 10_000);
  const token = text(input, "nextToken");
  const forward = token === undefined ? input.startFromHead === true : token.startsWith("f/");
  const bound = token === undefined ? undefined : tokenNumber(token, forward ? "f" : "b");
  const all = group.events.filter(
    (event) =>
      event.logStreamName === streamName &&
      inTime(event, input) &&
      (bound === undefined || (forward ? event.seq >= bound : event.seq < bound)),
  );
  const chosen = forward ? all.slice(0, limit) : all.slice(-limit);
  const first = chosen[0];
  const last = chosen.at(-1);
  return {
    events: chosen.map((event) => ({
      timestamp: event.timestamp,
      message: event.message,
      ingestionTime: event.ingestionTime,
    })),
    // At the end of the stream CloudWatch hands back the token it was given.
    nextForwardToken: last === undefined ? (token ?? "f/0") : `f/${last.seq + 1}`,
    nextBackwardToken: first === undefined ? (token ?? "b/0") : `b/${first.seq}`,
  };
}

function page<T>(items: T[], input: Input, max: number) {
  const limit = limitOf(input, max);
  const start = tokenNumber(text(input, "nextToken"), "i") ?? 0;
  const next = start + limit < items.length ? `i/${start + limit}` : undefined;
  return { items: items.slice(start, start + limit), next };
}

function describeLogStreams(store: LogStore, input: Input, region: string) {
  const group = findGroup(store, input);
  const prefix = text(input, "logStreamNamePrefix") ?? "";
  const byTime = text(input, "orderBy") === "LastEventTime";
  const streams = [...group.streams.values()]
    .filter((stream) => stream.logStreamName.startsWith(prefix))
    .sort((a, b) =>
      byTime
        ? a.lastEventTimestamp - b.lastEventTimestamp
        : a.logStreamName < b.logStreamName
          ? -1
          : 1,
    );
  if (input.descending === true) streams.reverse();
  const { items, next } = page(streams, input, 50);
  return {
    logStreams: items.map((stream) => ({
      logStreamName: stream.logStreamName,
      creationTime: stream.creationTime,
      firstEventTimestamp: stream.firstEventTimestamp,
      lastEventTimestamp: stream.lastEventTimestamp,
      lastIngestionTime: stream.lastIngestionTime,
      arn: `arn:aws:logs:${region}:${ACCOUNT_ID}:log-group:${group.name}:log-stream:${stream.logStreamName}`,
      storedBytes: stream.storedBytes,
    })),
    ...(next === undefined ? {} : { nextToken: next }),
  };
}

function describeLogGroups(store: LogStore, input: Input, region: string) {
  const prefix = text(input, "logGroupNamePrefix") ?? "";
  const pattern = text(input, "logGroupNamePattern");
  const groups = store
    .allGroups()
    .filter(
      (group) =>
        group.name.startsWith(prefix) && (pattern === undefined || group.name.includes(pattern)),
    );
  const { items, next } = page(groups, input, 50);
  return {
    logGroups: items.map((group) => {
      const arn = `arn:aws:logs:${region}:${ACCOUNT_ID}:log-group:${group.name}`;
      return {
        logGroupName: group.name,
        creationTime: group.creationTime,
        metricFilterCount: 0,
        arn: `${arn}:*`,
        logGroupArn: arn,
        storedBytes: [...group.streams.values()].reduce((sum, s) => sum + s.storedBytes, 0),
        logGroupClass: "STANDARD",
      };
    }),
    ...(next === undefined ? {} : { nextToken: next }),
  };
}

/** Answers one CloudWatch Logs JSON 1.1 operation from the in-memory store. */
export function answerLogsOperation(
  operation: string,
  input: Input,
  store: LogStore,
  region: string,
): unknown {
  switch (operation) {
    case "FilterLogEvents":
      return filterLogEvents(store, input);
    case "GetLogEvents":
      return getLogEvents(store, input);
    case "DescribeLogStreams":
      return describeLogStreams(store, input, region);
    case "DescribeLogGroups":
      return describeLogGroups(store, input, region);
    default:
      throw new ApiError(
        400,
        "UnknownOperationException",
        `The emulator does not implement Logs_20140328.${operation}`,
      );
  }
}
