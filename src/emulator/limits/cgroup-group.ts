import { readProcessMemory } from "./proc-usage.js";
import type { IsolationKind, LimitGroup } from "./types.js";

/**
 * What cgroup v1 and v2 sandbox groups share: the leader's pid, the peak
 * memory and the once-only dispose. The kernel enforces the CPU quota itself,
 * on the group's one period grid. A subclass says where its files are and how
 * its kernel reports them.
 */
export abstract class CgroupGroup implements LimitGroup {
  abstract readonly kind: IsolationKind;
  #pid: number | undefined;
  #disposed: Promise<void> | undefined;
  #finalPeak: number | undefined;
  #finalOom = false;
  #leaderHighWater = 0;

  abstract launch(command: string, args: readonly string[]): { command: string; args: string[] };
  /** The kernel's memory high-water mark of the group, in bytes. */
  protected abstract kernelPeakBytes(): number | undefined;
  protected abstract kernelOutOfMemoryKilled(pid: number | undefined): boolean;
  /** Kills what is left in the group and removes its directories. */
  protected abstract remove(): Promise<void>;

  protected get pid(): number | undefined {
    return this.#pid;
  }

  attach(pid: number): void {
    this.#pid = pid;
  }

  // The kernel's high-water mark is what the limit is enforced against and
  // catches spikes sampling would miss; it can exceed the limit slightly on
  // OOM, as Lambda's "Max Memory Used" does. It does not count the runtime
  // binary's pages when another cgroup read them first, which Lambda (loading
  // the runtime inside the environment) does, so the leader's VmHWM is taken
  // when larger.
  peakMemoryBytes(): number | undefined {
    if (this.#disposed) return this.#finalPeak;
    if (this.#pid !== undefined) {
      const highWater = readProcessMemory(this.#pid)?.highWaterBytes ?? 0;
      this.#leaderHighWater = Math.max(this.#leaderHighWater, highWater);
    }
    const kernelPeak = this.kernelPeakBytes();
    if (kernelPeak === undefined && this.#leaderHighWater === 0) return undefined;
    return Math.max(kernelPeak ?? 0, this.#leaderHighWater);
  }

  outOfMemoryKilled(): boolean {
    if (this.#disposed) return this.#finalOom;
    return this.kernelOutOfMemoryKilled(this.#pid);
  }

  dispose(): Promise<void> {
    if (!this.#disposed) {
      this.#finalPeak = this.peakMemoryBytes();
      this.#finalOom = this.outOfMemoryKilled();
      this.#disposed = this.remove();
    }
    return this.#disposed;
  }
}
