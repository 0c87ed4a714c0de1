/**
 * AWS Lambda's limits and reserved names, in one place. Every fact here is in
 * docs/lambda-facts.md with where it can be checked; change both together.
 */

/** Memory: 128 MB to 10,240 MB in 1 MB steps (docs/lambda-facts.md, "Memory and CPU"). */
export const MIN_MEMORY_MB = 128;
export const MAX_MEMORY_MB = 10_240;

/** One full vCPU at 1,769 MB; CPU is proportional to memory (docs/lambda-facts.md, "Memory and CPU"). */
export const MB_PER_VCPU = 1769;
/** The most vCPUs a function gets, at 10,240 MB. */
export const MAX_VCPUS = 6;

/** CFS bandwidth period below one vCPU (docs/lambda-facts.md, "CPU throttling"). */
export const CFS_PERIOD_MS = 20;
/** Lambda's guest kernel ticks at 250 Hz: the CPU budget is checked every 4 ms. */
export const SCHEDULER_TICK_MS = 4;

/** Timeout: whole seconds from 1 to 900, default 3 (docs/lambda-facts.md, "Memory and CPU"). */
export const MIN_TIMEOUT_SECONDS = 1;
export const MAX_TIMEOUT_SECONDS = 900;
export const DEFAULT_TIMEOUT_SECONDS = 3;

/** The INIT phase is limited to 10 s. */
export const INIT_LIMIT_MS = 10_000;

/** A synchronous Invoke's request payload may be at most 6 MB (docs/lambda-facts.md, "Lambda API"). */
export const MAX_INVOKE_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** A runtime's response over 6 MiB + 100 bytes is rejected (the Runtime API's limit). */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 100;
/** `LogType: Tail` returns the last 4 KB of the invocation's log. */
export const LOG_TAIL_BYTES = 4096;

/** The error type of an invocation killed for exceeding its memory. */
export const OUT_OF_MEMORY = "Runtime.OutOfMemory";

/**
 * Init errors no retry can fix: the handler cannot be loaded until the user
 * changes it or installs what it imports.
 */
export const HANDLER_INIT_ERRORS: ReadonlySet<string> = new Set([
  "Runtime.ImportModuleError",
  "Runtime.HandlerNotFound",
  "Runtime.UserCodeSyntaxError",
  "Runtime.MalformedHandlerName",
]);

/** A function name: 1 to 64 letters, digits, hyphens and underscores. */
export const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Environment variables Lambda sets for every function and that a function's
 * configuration cannot override (docs/lambda-facts.md, "Runtime API").
 */
export const RESERVED_ENVIRONMENT: readonly string[] = [
  "_HANDLER",
  "_X_AMZN_TRACE_ID",
  "AWS_DEFAULT_REGION",
  "AWS_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_LAMBDA_RUNTIME_API",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
];

/** Whether `memoryMb` is a size Lambda accepts. */
export function isLambdaMemorySize(memoryMb: number): boolean {
  return Number.isInteger(memoryMb) && memoryMb >= MIN_MEMORY_MB && memoryMb <= MAX_MEMORY_MB;
}

/** Every memory size Lambda accepts, in order: the adaptive planner's default candidates. */
export function everyMemorySize(): number[] {
  return Array.from({ length: MAX_MEMORY_MB - MIN_MEMORY_MB + 1 }, (_, i) => MIN_MEMORY_MB + i);
}

/** vCPUs Lambda gives `memoryMb`: memory / 1,769 MB, at most 6. */
export function vcpusForMemory(memoryMb: number): number {
  return Math.min(memoryMb / MB_PER_VCPU, MAX_VCPUS);
}
