import type { Invocation } from "../document/invocation.js";
import type { Plan } from "../document/plan.js";
import type { Architecture, ResultDocument, RuntimeInfo, TargetKind } from "../document/result.js";
import type { LambdaTuneError } from "../errors.js";
import type { RawOptions } from "../flags.js";
import type { ReportRecord } from "../logs/record.js";
import type { Pricing } from "../model/pricing.js";

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
  /** Which runtime and local interpreter ran the function (local target). */
  runtime?: RuntimeInfo;
  /** Things the user should know about this run (printed, and kept in the result). */
  warnings: string[];
  /** Lines for stderr that are no part of the result (how long compiling took). */
  notes?: string[];
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

  // Steps only some targets have (aws: --max-cost, --dry-run, --apply); the CLI calls
  // each when present and prints what it returns, so no target prints.

  /**
   * Before the sweep: may refuse it (a GateError), or end the run with `output`
   * for stdout instead of sweeping (a dry run).
   */
  preflight?(context: PreflightContext): Promise<{ output: string } | undefined>;
  /** After the sweep, before restore: keep the recommendation where the user asked; lines for stderr. */
  apply?(doc: ResultDocument): Promise<string[]>;
  /** After restore: what the user must know about it (see RestoreReport). */
  restoreReport?(): RestoreReport;
  /**
   * After the sweep: invocations that ran and were billed but whose answers
   * were lost (a connection dropped, the call retried), found afterwards; they
   * count in tuningCost so that it equals what was billed.
   */
  unansweredInvocations?(): UnansweredInvocations;
}

/** Invocations billed though their answers were lost, and why some may be missing. */
export interface UnansweredInvocations {
  records: ReportRecord[];
  /** E.g. the log could not be read: tuningCost may be short by a few. */
  warnings: string[];
}

/** What a restore did, for the CLI to print. */
export interface RestoreReport {
  /** One line on what was put back (printed after an interruption). */
  summary?: string;
  /** Warnings the user must see (a version kept). */
  warnings: string[];
  /** Someone else changed the function: their change was kept (the run exits 4). */
  conflict?: LambdaTuneError;
}

export interface PreflightContext {
  plan: Plan;
  info: FunctionInfo;
  pricing: Pricing;
  /** The user asked for JSON on stdout. */
  json: boolean;
}

/** A flag only one target takes, as commander spells it (`--max-cost <usd>`). */
export interface TargetOption {
  flags: string;
  description: string;
  /** Given more than once, its values are collected into a list (`--env A=1 --env B=2`). */
  repeatable?: boolean;
}

/** What every target is created from: the function and the run's shared settings. */
export interface TargetRequest {
  /** `<function>` as the user gave it. */
  functionArg: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  region?: string;
  architecture?: string;
  /** `--timeout`: the function timeout during the sweep, when given. */
  timeoutSeconds?: number;
  concurrency: number;
  seed: number;
  /** The sizes the sweep plans, when listed (for warnings about what this host can do). */
  plannedSizes: readonly number[];
  /** Aborts work in flight (Ctrl-C); restore() still runs to the end. */
  signal: AbortSignal;
}

/**
 * One kind of target, as the registry (src/targets/registry.ts) knows it:
 * its own flags, whether `<function>` names one of its functions, and how to
 * create it once its flags are checked.
 */
export interface TargetDefinition {
  readonly kind: TargetKind;
  /** What `<function>` names for this target, for --help (`a handler path`). */
  readonly names: string;
  readonly options: readonly TargetOption[];
  /** Whether `<function>` (with these options) is this target's when --target is not given. */
  claims(functionArg: string, options: RawOptions, cwd: string): boolean;
  /** Checks this target's flags (UsageError on a bad value) and returns how to create it. */
  configure(options: RawOptions): (request: TargetRequest) => Promise<Target>;
}
