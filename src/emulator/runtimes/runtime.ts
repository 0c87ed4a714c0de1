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

/**
 * One Lambda runtime as the emulator runs it: what its handlers look like,
 * how to start its runtime client in a sandbox, and how it reports what went
 * wrong. Adding a runtime is a folder beside node/ with one of these, and a
 * line in ./index.ts.
 */
export interface Runtime {
  /** Lambda's identifier for it, e.g. `nodejs20.x`. */
  readonly name: string;
  /** What a handler of this runtime looks like, for messages (`path/to/file.export (.js, .mjs, .cjs)`). */
  readonly handlerForm: string;
  /** `AWS_EXECUTION_ENV` in its sandboxes. */
  readonly executionEnv: string;
  /** `INIT_START Runtime Version:` in its logs, e.g. `nodejs:20.v0`. */
  readonly runtimeVersion: string;
  /**
   * The handler `spec` names, relative to `cwd` (the task root) or absolute;
   * undefined when `spec` is not a handler of this runtime or its file is missing.
   */
  locate(spec: string, cwd: string): LocatedHandler | undefined;
  /** How to start the runtime client in a sandbox of `memoryMb` (its memory bounds included). */
  launch(memoryMb: number): Launch;
  /**
   * How to load a handler once without a Runtime API: the process prints a
   * last line `{"ok":true}` or `{"ok":false,"errorType","errorMessage"}`.
   */
  probe(handler: LocatedHandler): Launch;
  /** Whether the runtime's own output says it ran out of memory (V8's heap limit, say). */
  reportsOutOfMemory(output: string): boolean;
  /** What to do about an init error no retry can fix (module missing, handler not found). */
  initErrorHint(errorType: string, handler: LocatedHandler): string;
}
