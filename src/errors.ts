/**
 * User-facing errors. Each says what went wrong and what to do next; the CLI
 * prints them without a stack trace and exits with `exitCode`. Anything else
 * thrown is a bug and is printed with its stack.
 */
export abstract class LambdaTuneError extends Error {
  abstract readonly exitCode: number;
  /** What the user should do about it, printed on its own line. */
  readonly hint: string | undefined;

  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** Bad command-line usage or input the user must fix (exit 2). */
export class UsageError extends LambdaTuneError {
  readonly exitCode = 2;
}

/** A gate tripped: regression, budget, cost ceiling, unmeetable constraint (exit 3). */
export class GateError extends LambdaTuneError {
  readonly exitCode = 3;
}

/** The run failed for a reason outside the user's input (exit 1). */
export class RunError extends LambdaTuneError {
  readonly exitCode = 1;
}

/** Interrupted by a signal after cleaning up (130 for SIGINT, 143 for SIGTERM). */
export class InterruptedError extends LambdaTuneError {
  readonly exitCode: number;
  /** `after`: what cleaning up did, e.g. "my-fn was restored: ...". */
  constructor(
    readonly signal: "SIGINT" | "SIGTERM",
    after?: string,
  ) {
    super(after === undefined ? `interrupted by ${signal}` : `interrupted by ${signal}; ${after}`);
    this.exitCode = signal === "SIGINT" ? 130 : 143;
  }
}

/**
 * Someone else changed the function during the run: the sweep stopped, their
 * change was kept and the run's own settings removed (exit 4).
 */
export class ConcurrentChangeError extends LambdaTuneError {
  readonly exitCode = 4;
}

/**
 * Whether an error ends a run whose measurements stay valid: the sweep stops,
 * and the partial result (every invocation paid for) is still reported.
 */
export function keepsMeasurements(error: unknown): error is RunError | ConcurrentChangeError {
  return error instanceof RunError || error instanceof ConcurrentChangeError;
}
