/** A handler located on disk, with the runtime that runs it. */
export interface LocatedHandler {
  runtime: Runtime;
  /** LAMBDA_TASK_ROOT: the directory the handler is relative to. */
  taskRoot: string;
  /** The handler as Lambda's `_HANDLER` holds it, relative to the task root. */
  handler: string;
  /** The file that holds the handler's code (for messages, the function's name and its code hash). */
  file: string;
}

/** How to start a process: the command and its arguments. */
export interface Launch {
  command: string;
  args: string[];
}

/** The program that runs a handler on this machine, as the header, the result and the API say it. */
export interface LocalInterpreter {
  /** Its path: an interpreter (`/usr/bin/python3.11`) or a custom runtime's `bootstrap`. */
  path: string;
  /** Its version (`3.11.2`), when it has one. */
  version?: string;
}

/**
 * One Lambda runtime as the emulator runs it, with its interpreter resolved:
 * how to start its runtime client in a sandbox, and how it reports what went
 * wrong. A runtime family (./family.ts) finds handlers and makes these.
 */
export interface Runtime {
  /** Lambda's identifier for it, e.g. `nodejs20.x`, `python3.12`, `provided.al2023`. */
  readonly name: string;
  /** `AWS_EXECUTION_ENV` in its sandboxes; Lambda sets none for OS-only runtimes (provided). */
  readonly executionEnv: string | undefined;
  /** `INIT_START Runtime Version:` in its logs, e.g. `nodejs:20.v0`. */
  readonly runtimeVersion: string;
  readonly interpreter: LocalInterpreter;
  /** Custom runtimes' INIT has always been billed (docs/lambda-facts.md, "Billing"). */
  readonly alwaysBillsInit: boolean;
  /**
   * Init errors a probe may report that no retry or memory size can fix: the
   * handler is refused before the sweep (exit 2) instead of failing every size.
   */
  readonly unfixableInitErrors: ReadonlySet<string>;
  /** How to start the runtime client in a sandbox of `memoryMb` (its memory bounds included). */
  launch(memoryMb: number): Launch;
  /**
   * How to load a handler once without a Runtime API: the process prints a
   * last line `{"ok":true}` or `{"ok":false,"errorType","errorMessage"}`.
   * Absent when the runtime is probed against a Runtime API instead (provided).
   */
  probe?(handler: LocatedHandler): Launch;
  /** Whether the runtime's own output says it ran out of memory (V8's heap limit, say). */
  reportsOutOfMemory(output: string): boolean;
  /** What to do about an init error no retry can fix (module missing, handler not found). */
  initErrorHint(errorType: string, handler: LocatedHandler): string;
}
