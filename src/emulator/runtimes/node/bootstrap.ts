// The Node.js runtime client the emulator runs in each sandbox: it loads the
// handler, then loops on the Runtime API's /next, as Lambda's runtime does.

import { patchConsole, setLogRequestId, writeLogLine } from "./console-patch.js";
import { invokeHandler } from "./invoke-handler.js";
import { type LambdaHandler, loadHandler, toErrorBody } from "./load-handler.js";
import { RuntimeClient } from "./runtime-client.js";

const env = process.env;
const client = new RuntimeClient(env.AWS_LAMBDA_RUNTIME_API ?? "");
let currentRequestId: string | undefined;

function logError(label: string, error: unknown): void {
  const body = toErrorBody(error);
  const record = {
    errorType: body.errorType,
    errorMessage: body.errorMessage,
    stack: body.stackTrace,
  };
  writeLogLine("ERROR", `${label} \t${JSON.stringify(record)}`);
}

function serialize(value: unknown): string {
  return JSON.stringify(value) ?? "null";
}

const pause = new Int32Array(new SharedArrayBuffer(4));
/**
 * Sleeps for a few microseconds, so the kernel accounts the CPU used so far
 * and throttles now if the quota is spent. Lambda's runtime work after the
 * handler is checked at once this way, not at the next tick (docs/lambda-facts.md,
 * "CPU throttling"): a call that overran ends after the refill.
 */
function yieldToScheduler(): void {
  Atomics.wait(pause, 0, 0, 0.01);
}

// An error thrown outside the handler's promise ends the sandbox, as on Lambda.
process.on("uncaughtException", (error) => {
  logError("Uncaught Exception", error);
  const body = toErrorBody(error);
  const post =
    currentRequestId === undefined
      ? client.postInitError(body.errorType, JSON.stringify(body))
      : client.postError(currentRequestId, body.errorType, JSON.stringify(body));
  post.finally(() => process.exit(129));
});

async function init(): Promise<LambdaHandler> {
  patchConsole();
  try {
    return await loadHandler(env.LAMBDA_TASK_ROOT ?? process.cwd(), env._HANDLER ?? "");
  } catch (error) {
    logError("Uncaught Exception", error);
    const body = toErrorBody(error);
    await client.postInitError(body.errorType, JSON.stringify(body));
    process.exit(129);
  }
}

async function loop(handler: LambdaHandler): Promise<never> {
  for (;;) {
    const invocation = await client.next();
    currentRequestId = invocation.requestId;
    setLogRequestId(invocation.requestId);
    if (invocation.traceId === undefined) delete env._X_AMZN_TRACE_ID;
    else env._X_AMZN_TRACE_ID = invocation.traceId;
    const outcome = await invokeHandler(handler, invocation, env);
    yieldToScheduler();
    if (outcome.ok) {
      await client.postResponse(invocation.requestId, serialize(outcome.value));
    } else {
      logError("Invoke Error", outcome.error);
      const body = toErrorBody(outcome.error);
      await client.postError(invocation.requestId, body.errorType, JSON.stringify(body));
    }
    currentRequestId = undefined;
    setLogRequestId(undefined);
  }
}

await loop(await init());
