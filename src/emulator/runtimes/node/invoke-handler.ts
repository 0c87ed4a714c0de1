import { createContext, type LambdaContext } from "./context.js";
import type { LambdaHandler } from "./load-handler.js";
import type { NextInvocation } from "./runtime-client.js";

export type HandlerOutcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Runs one invocation in either style Lambda accepts: a returned promise, or
 * `callback(err, result)`. With a callback and `callbackWaitsForEmptyEventLoop`
 * (the default), the result is sent only once the event loop is empty.
 */
export function invokeHandler(
  handler: LambdaHandler,
  invocation: NextInvocation,
  env: NodeJS.ProcessEnv,
): Promise<HandlerOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: HandlerOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    let context: LambdaContext | undefined;
    const callback = (error?: unknown, value?: unknown) => {
      const outcome: HandlerOutcome =
        error !== undefined && error !== null ? { ok: false, error } : { ok: true, value };
      if (context?.callbackWaitsForEmptyEventLoop)
        process.once("beforeExit", () => settle(outcome));
      else settle(outcome);
    };
    context = createContext(invocation, env, callback);
    let event: unknown;
    try {
      event = invocation.event === "" ? undefined : JSON.parse(invocation.event);
    } catch {
      event = invocation.event;
    }
    try {
      const returned = handler(event, context, callback);
      if (returned !== null && typeof (returned as Promise<unknown>)?.then === "function") {
        (returned as Promise<unknown>).then(
          (value) => settle({ ok: true, value }),
          (error: unknown) => settle({ ok: false, error }),
        );
      }
    } catch (error) {
      settle({ ok: false, error });
    }
  });
}
