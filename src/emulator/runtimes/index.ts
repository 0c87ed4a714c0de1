import { nodeRuntime } from "./node/runtime.js";
import type { LocatedHandler, Runtime } from "./runtime.js";

export type { Launch, LocatedHandler, Runtime } from "./runtime.js";

/** Every runtime the emulator runs, in the order a handler spec is offered to them. */
export const runtimes: readonly Runtime[] = [nodeRuntime];

/** The handler `spec` names for the first runtime that finds its code, if any. */
export function locateHandler(spec: string, cwd: string): LocatedHandler | undefined {
  for (const runtime of runtimes) {
    const located = runtime.locate(spec, cwd);
    if (located !== undefined) return located;
  }
  return undefined;
}

/** The forms of handler every runtime takes, for messages. */
export function handlerForms(): string {
  return runtimes.map((runtime) => runtime.handlerForm).join("; ");
}
