import type { LimitGroup } from "../../src/emulator/limits/types.js";

/** A limit group that enforces nothing: the stand-in for tests that need no real limits. */
export function noLimits(): LimitGroup {
  return {
    kind: "none",
    launch: (command, args) => ({ command, args: [...args] }),
    attach: () => {},
    peakMemoryBytes: () => undefined,
    outOfMemoryKilled: () => false,
    dispose: async () => {},
  };
}
