import type { IncomingHttpHeaders } from "node:http";
import { ApiError, invalidParameter } from "./api-error.js";
import type { FunctionReference } from "./function-reference.js";
import { type LambdaApiContext, resolveVersion } from "./lambda-operations.js";

export interface InvokeAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function eventPayload(body: Buffer): string {
  const payload = body.length === 0 ? "{}" : body.toString("utf8");
  try {
    JSON.parse(payload);
  } catch (error) {
    throw new ApiError(
      400,
      "InvalidRequestContentException",
      `Could not parse request body into json: ${(error as Error).message}`,
    );
  }
  return payload;
}

/**
 * Invoke: RequestResponse answers 200 with the result, Event 202 and runs
 * in the background, DryRun 204; `Tail` adds the last 4 KB of the log in
 * `X-Amz-Log-Result` (docs/lambda-facts.md, "Lambda API").
 */
export async function invokeFunction(
  ctx: LambdaApiContext,
  reference: FunctionReference,
  headers: IncomingHttpHeaders,
  body: Buffer,
  background: (work: Promise<unknown>) => void,
): Promise<InvokeAnswer> {
  const type = header(headers, "x-amz-invocation-type") ?? "RequestResponse";
  if (type !== "RequestResponse" && type !== "Event" && type !== "DryRun") {
    throw invalidParameter(
      `Value ${type} at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
    );
  }
  const resolved = resolveVersion(ctx, reference);
  const payload = eventPayload(body);
  if (type === "DryRun") return { status: 204, headers: {}, body: "" };
  const run = ctx.pools.invoke(resolved.fn, resolved.version, resolved.settings, payload);
  if (type === "Event") {
    background(run);
    return { status: 202, headers: {}, body: "" };
  }
  const invocation = await run;
  const answer: InvokeAnswer = {
    status: 200,
    headers: {
      "Content-Type": "application/json",
      "X-Amz-Executed-Version": resolved.version,
    },
    body: invocation.response ?? "null",
  };
  if (invocation.functionError !== undefined) {
    answer.headers["X-Amz-Function-Error"] = invocation.functionError;
  }
  if (header(headers, "x-amz-log-type") === "Tail" && invocation.logTail !== undefined) {
    answer.headers["X-Amz-Log-Result"] = Buffer.from(invocation.logTail, "utf8").toString("base64");
  }
  return answer;
}
