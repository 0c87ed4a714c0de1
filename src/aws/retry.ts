import { setTimeout as sleep } from "node:timers/promises";
import { errorName, isTransientError } from "./errors.js";

/** Rounds of the SDK's own attempts a transient failure (429, 5xx, a dropped connection) gets. */
const TRANSIENT_ROUNDS = 3;

/**
 * Runs a call, retrying transient failures beyond the SDK's own attempts
 * with a growing pause (1 s, 2 s); other errors, and an abort, at once.
 * `conflicts`: a 409 is transient too (for reads, which change nothing).
 */
export async function outlastingTransientErrors<T>(
  call: () => Promise<T>,
  signal?: AbortSignal,
  options: { conflicts?: boolean } = {},
): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await call();
    } catch (error) {
      signal?.throwIfAborted();
      const conflict =
        options.conflicts === true && errorName(error) === "ResourceConflictException";
      if (round >= TRANSIENT_ROUNDS || !(isTransientError(error) || conflict)) throw error;
      await sleep(1000 * round, undefined, signal === undefined ? {} : { signal });
    }
  }
}
