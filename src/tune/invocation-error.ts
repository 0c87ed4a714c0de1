import type { Invocation } from "../document/invocation.js";

/** Long enough for a stack's first line; a tier is no place for a whole trace. */
const MAX_MESSAGE = 300;

/** What a failed invocation said about itself, as the function (or the platform) reported it. */
export interface InvocationError {
  errorType: string;
  errorMessage: string;
}

function fromResponse(response: string | undefined): Partial<InvocationError> {
  if (response === undefined) return {};
  try {
    const body = JSON.parse(response) as { errorType?: unknown; errorMessage?: unknown };
    return {
      ...(typeof body.errorType === "string" && { errorType: body.errorType }),
      ...(typeof body.errorMessage === "string" && { errorMessage: body.errorMessage }),
    };
  } catch {
    return {};
  }
}

/**
 * The error of a failed invocation: its type from the REPORT record or the
 * response, its message from the response Lambda returns (`errorMessage`);
 * undefined for a success.
 */
export function invocationError(invocation: Invocation): InvocationError | undefined {
  const { record } = invocation;
  if (record.status === "success") return undefined;
  const body = fromResponse(invocation.response);
  const errorType = record.errorType ?? body.errorType ?? record.status;
  const message = (body.errorMessage ?? "").replace(/\s+/g, " ").trim();
  return {
    errorType,
    errorMessage: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message,
  };
}
