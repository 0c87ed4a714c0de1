/** How a sandbox's CPU and memory limits are enforced, best first. */
export type IsolationKind = "cgroup-v2" | "cgroup-v1" | "user-space-throttle" | "none";

/** The limits Lambda gives one execution environment of a memory size. */
export interface SandboxLimits {
  memoryMb: number;
  /**
   * CPU in cores: memory / 1,769 MB (one full vCPU at 1,769 MB;
   * docs/lambda-facts.md, "Memory and CPU"), capped by the host.
   */
  cpuCores: number;
  /** CFS bandwidth period: 20 ms on Lambda (docs/lambda-facts.md, "CPU throttling"). */
  periodMs: number;
  /** Where the quota is checked: Lambda's kernel ticks every 4 ms (HZ=250). */
  tickMs: number;
}

/**
 * One sandbox's limit group. The sandbox's process must be inside it before
 * it runs any handler code, so the group gives a launch wrapper: a command
 * prefix that moves the process into the group and then execs the real
 * command (`launch(cmd, args)` returns the command and args to spawn).
 */
export interface LimitGroup {
  readonly kind: IsolationKind;
  launch(command: string, args: readonly string[]): { command: string; args: string[] };
  /** Call once the process is spawned (the user-space throttle starts watching it here). */
  attach(pid: number): void;
  /**
   * The runtime's response has arrived: charge the CPU used so far at once,
   * as the kernel does at the runtime's system calls
   * (docs/lambda-facts.md, "CPU throttling"). Resolves with when (performance.now()) the group
   * ran again after the refill that paid its debt, or undefined when it was
   * not held back. Backends the kernel enforces lack it.
   */
  settle?(): Promise<number | undefined>;
  /** Peak memory of the group since it was created, in bytes, when the backend can tell. */
  peakMemoryBytes(): number | undefined;
  /** Whether the kernel (or the throttle's watchdog) killed the group for exceeding its memory. */
  outOfMemoryKilled(): boolean;
  /** Stop enforcing, kill any process left in the group, and remove the group. Idempotent. */
  dispose(): Promise<void>;
  /** The group's cgroup directories, for the guard that removes them if the tool dies first. */
  readonly cgroupDirs?: readonly string[];
}

export interface LimitBackend {
  readonly kind: IsolationKind;
  /** Why this backend was chosen over the better ones (shown to the user), if it was a fallback. */
  readonly fallbackReason?: string;
  /** What it cannot reproduce of Lambda on this host (shown to the user once per run). */
  readonly notes?: readonly string[];
  createGroup(name: string, limits: SandboxLimits): Promise<LimitGroup>;
  /** Remove the backend's parent group and anything left in it. Idempotent. */
  dispose(): Promise<void>;
}
