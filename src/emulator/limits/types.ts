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
  /** CFS bandwidth period; Lambda behaves like 20 ms (docs/lambda-facts.md, "CPU throttling"). */
  periodMs: number;
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
   * Resolves when the group's next CPU period begins (at once when the backend
   * cannot tell), so an invocation starts with a full quota as on Lambda.
   */
  periodStart?(): Promise<void>;
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
  createGroup(name: string, limits: SandboxLimits): Promise<LimitGroup>;
  /** Remove the backend's parent group and anything left in it. Idempotent. */
  dispose(): Promise<void>;
}
