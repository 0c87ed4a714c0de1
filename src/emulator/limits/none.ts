import { readProcessMemory } from "./proc-usage.js";
import type { LimitBackend, LimitGroup, SandboxLimits } from "./types.js";

export const NO_LIMITS_WARNING =
  "no CPU or memory limits: durations do not reflect the memory size, so the recommendation is not meaningful";

class UnlimitedGroup implements LimitGroup {
  readonly kind = "none";
  #pid: number | undefined;
  #peak: number | undefined;

  launch(command: string, args: readonly string[]): { command: string; args: string[] } {
    return { command, args: [...args] };
  }

  attach(pid: number): void {
    this.#pid = pid;
  }

  peakMemoryBytes(): number | undefined {
    const highWater =
      this.#pid === undefined ? undefined : readProcessMemory(this.#pid)?.highWaterBytes;
    if (highWater !== undefined) this.#peak = Math.max(this.#peak ?? 0, highWater);
    return this.#peak;
  }

  outOfMemoryKilled(): boolean {
    return false;
  }

  async dispose(): Promise<void> {
    this.peakMemoryBytes();
    this.#pid = undefined;
  }
}

/** No enforcement at all; the last resort, and it says so. */
export class NoLimits implements LimitBackend {
  readonly kind = "none";

  constructor(readonly fallbackReason: string = NO_LIMITS_WARNING) {}

  async createGroup(_name: string, _limits: SandboxLimits): Promise<LimitGroup> {
    return new UnlimitedGroup();
  }

  async dispose(): Promise<void> {}
}
