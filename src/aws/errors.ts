import { type LambdaTuneError, UsageError } from "../errors.js";

/** Every IAM action lambda-tune calls, for messages and the README. */
export const IAM_ACTIONS: readonly string[] = [
  "lambda:GetFunctionConfiguration",
  // waitUntilFunctionUpdatedV2 polls GetFunction.
  "lambda:GetFunction",
  "lambda:UpdateFunctionConfiguration",
  "lambda:PublishVersion",
  "lambda:InvokeFunction",
  "lambda:ListVersionsByFunction",
  "lambda:DeleteFunction (on qualified ARNs only: the versions it published)",
  "logs:FilterLogEvents",
  "for --apply-alias: lambda:GetAlias, lambda:CreateAlias, lambda:UpdateAlias",
  "for analyze over long windows (Logs Insights): logs:StartQuery, logs:GetQueryResults",
];

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNRESET",
]);

export function errorName(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const name = (error as { name?: unknown }).name;
  return typeof name === "string" ? name : undefined;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

export function isAbortError(error: unknown): boolean {
  return errorName(error) === "AbortError";
}

export function isNetworkError(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && NETWORK_CODES.has(code);
}

const THROTTLING = new Set([
  "TooManyRequestsException",
  "ThrottlingException",
  "Throttling",
  "RequestLimitExceeded",
]);

function httpStatus(error: unknown): number | undefined {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata
    ?.httpStatusCode;
  return typeof status === "number" ? status : undefined;
}

export function isThrottling(error: unknown): boolean {
  return THROTTLING.has(errorName(error) ?? "") || httpStatus(error) === 429;
}

/**
 * A failure that says nothing about the request itself: throttling, a 5xx,
 * a connection lost or timed out. Worth another try after a pause.
 */
export function isTransientError(error: unknown): boolean {
  if (isThrottling(error)) return true;
  const status = httpStatus(error);
  if (status !== undefined && status >= 500) return true;
  const code = errorCode(error);
  return (
    isNetworkError(error) ||
    code === "EPIPE" ||
    code === "ETIMEDOUT" ||
    errorName(error) === "TimeoutError"
  );
}

/**
 * Whether a failed call may still have run on the service: its answer was
 * lost (the connection dropped or timed out after the request went out) or
 * the service failed (5xx) without saying whether it had started.
 */
export function mayHaveRun(error: unknown): boolean {
  if (isThrottling(error)) return false;
  const code = errorCode(error);
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN") return false;
  const status = httpStatus(error);
  return (status !== undefined && status >= 500) || isTransientError(error);
}

/** Where the error happened and what had been done by then, for the message. */
export interface ErrorContext {
  /** The IAM action of the call that failed, e.g. `lambda:UpdateFunctionConfiguration`. */
  action: string;
  functionName: string;
  /** The endpoint the SDK talks to (`--endpoint-url`, or Lambda's regional endpoint). */
  endpoint: string;
  /** Whether the function had been changed before this call. */
  changed: boolean;
}

function afterwards(context: ErrorContext): string {
  return context.changed
    ? "lambda-tune restores the function's configuration and deletes the versions it published"
    : "nothing was changed on the function";
}

const CREDENTIALS_HINT =
  "provide AWS credentials the SDK's default chain finds: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), a profile in ~/.aws/credentials or ~/.aws/config (--profile NAME or AWS_PROFILE), `aws sso login --profile NAME` for SSO, or a role on EC2/ECS";

/**
 * The user-facing error for an SDK failure the user can fix (credentials,
 * permissions, endpoint, unknown function), else undefined: the caller
 * rethrows the original.
 */
export function userErrorFor(error: unknown, context: ErrorContext): LambdaTuneError | undefined {
  const name = errorName(error);
  if (name === "CredentialsProviderError" || name === "CredentialsError") {
    return new UsageError("no AWS credentials found", { hint: CREDENTIALS_HINT, cause: error });
  }
  if (
    name === "AccessDeniedException" ||
    name === "AccessDenied" ||
    name === "UnrecognizedClientException" ||
    name === "InvalidSignatureException" ||
    name === "MissingAuthenticationTokenException" ||
    name === "ExpiredTokenException"
  ) {
    const denied = name === "AccessDeniedException" || name === "AccessDenied";
    const aws = /\.amazonaws\.com(\.cn)?(\/|$)/.test(context.endpoint);
    const problem = denied
      ? `not allowed to call ${context.action} on ${context.functionName}`
      : `${aws ? "AWS" : context.endpoint} refused the credentials (${name}) calling ${context.action}`;
    return new UsageError(`${problem}; ${afterwards(context)}`, {
      hint: denied
        ? `grant ${context.action}; lambda-tune needs ${IAM_ACTIONS.join(", ")}`
        : aws
          ? CREDENTIALS_HINT
          : "against `lambda-tune emulate`, use the key pair it printed when it started (or the one it was given): AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
      cause: error,
    });
  }
  if (name === "ResourceNotFoundException") {
    return new UsageError(`function '${context.functionName}' was not found`, {
      hint: "check the name, the --region and the account (--profile); `aws lambda list-functions` lists them",
      cause: error,
    });
  }
  if (isNetworkError(error)) {
    return new UsageError(
      `cannot reach ${context.endpoint} (${errorCode(error)}); ${afterwards(context)}`,
      {
        hint: "check --endpoint-url (is the emulator running? `lambda-tune emulate`), the --region and the network",
        cause: error,
      },
    );
  }
  return undefined;
}

/** Runs an AWS call and turns what the user can fix into a UsageError. */
export async function userFacing<T>(context: ErrorContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw userErrorFor(error, context) ?? error;
  }
}
