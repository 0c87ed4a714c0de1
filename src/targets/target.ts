import type { Invocation } from "../document/invocation.js";
import type { Architecture, TargetKind } from "../document/result.js";

/** What a target knows about the function before the sweep. */
export interface FunctionInfo {
  /** Name as the user gave it (function name, handler path, or recording name). */
  name: string;
  architecture: Architecture;
  region: string;
  /** The function's configuration before the run, when it has one. */
  currentMemoryMb?: number;
  currentTimeoutSeconds?: number;
  /**
   * How CPU and memory limits are enforced (local target): `cgroup-v2`,
   * `cgroup-v1`, `user-space-throttle` or `none`; absent for aws and replay.
   */
  isolation?: string;
  /** Things the user should know about this run (printed, and kept in the result). */
  warnings: string[];
}

/** A memory size made ready to invoke (aws: a published version; local: sandboxes). */
export interface PreparedSize {
  readonly memoryMb: number;
  invoke(payload: string): Promise<Invocation>;
  /** Free what serves this size (sandboxes); the sweep calls it when done with the size. */
  release(): Promise<void>;
}

/**
 * A place where a function can be run at a given memory size. The sweep drives
 * every target through this interface and never knows which one it has.
 */
export interface Target {
  readonly kind: TargetKind;
  describe(): Promise<FunctionInfo>;
  /**
   * Sizes this target can serve, when it can serve only some (replay: the
   * recorded ones); undefined when any size in 128..10240 works.
   */
  availableSizes(): readonly number[] | undefined;
  /**
   * How many invocations a size can serve, when limited (replay: the records
   * of that size); undefined when unlimited.
   */
  capacity(memoryMb: number): number | undefined;
  prepare(memoryMb: number): Promise<PreparedSize>;
  /** Put the function back exactly as it was found. Idempotent; safe after a failed prepare. */
  restore(): Promise<void>;
}
