import type { ServerResponse } from "node:http";

/** An error answered in the API's wire format (an expected outcome, not a bug). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { headers?: Record<string, string>; body?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = code;
  }
}

export function resourceNotFound(message: string): ApiError {
  return new ApiError(404, "ResourceNotFoundException", message);
}

export function functionNotFound(arn: string): ApiError {
  return resourceNotFound(`Function not found: ${arn}`);
}

export function resourceConflict(message: string): ApiError {
  return new ApiError(409, "ResourceConflictException", message);
}

export function invalidParameter(message: string): ApiError {
  return new ApiError(400, "InvalidParameterValueException", message);
}

/** A constraint failure as Lambda words it (`1 validation error detected: ...`). */
export function validationError(field: string, value: unknown, constraint: string): ApiError {
  return new ApiError(
    400,
    "ValidationException",
    `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

export function preconditionFailed(): ApiError {
  return new ApiError(
    412,
    "PreconditionFailedException",
    "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
  );
}

export function tooManyRequests(retryAfterSeconds = 1): ApiError {
  return new ApiError(429, "TooManyRequestsException", "Rate Exceeded.", {
    headers: { "Retry-After": String(retryAfterSeconds) },
    body: { Reason: "ConcurrentInvocationLimitExceeded" },
  });
}

export function serviceError(): ApiError {
  return new ApiError(500, "ServiceException", "The emulator was asked to fail this call.");
}

/**
 * REST-JSON errors carry the code in `x-amzn-ErrorType` and the message
 * in the body's `message` (docs/lambda-facts.md, "Lambda API").
 */
export function sendLambdaError(res: ServerResponse, error: ApiError): void {
  const body = {
    Type: error.status >= 500 ? "Service" : "User",
    message: error.message,
    ...error.extra.body,
  };
  res.writeHead(error.status, {
    "Content-Type": "application/json",
    "x-amzn-ErrorType": error.code,
    ...error.extra.headers,
  });
  res.end(JSON.stringify(body));
}

/** JSON 1.1 (CloudWatch Logs) errors: the code in the body's `__type`, status 400 for client faults. */
export function sendJsonRpcError(res: ServerResponse, error: ApiError): void {
  res.writeHead(error.status, {
    "Content-Type": "application/x-amz-json-1.1",
    "x-amzn-ErrorType": error.code,
    ...error.extra.headers,
  });
  res.end(JSON.stringify({ __type: error.code, message: error.message, ...error.extra.body }));
}
