import type { LocatedHandler } from "./runtime.js";

/** A handler found on disk by a runtime family; nothing is started or compiled yet. */
export interface HandlerSite {
  family: RuntimeFamily;
  /** LAMBDA_TASK_ROOT: the directory the handler is relative to. */
  taskRoot: string;
  /** `_HANDLER`, relative to the task root. */
  handler: string;
  /** The file that holds the handler's code (or the custom runtime's `bootstrap`). */
  file: string;
}

/** What the user asked about the runtime, and where to look for interpreters. */
export interface RuntimeRequest {
  /** `--runtime`: one of Lambda's identifiers (checked against the registry). */
  runtime?: string;
  /** `--python`: the Python interpreter to run, a path or a command on PATH. */
  python?: string;
  /** The caller's environment, for PATH. */
  env: Readonly<Record<string, string | undefined>>;
  /** Where a relative `--python` starts. */
  cwd: string;
}

/** A handler ready to run: its runtime resolved, its code compiled when it needed to be. */
export interface PreparedHandler {
  located: LocatedHandler;
  /** What ran it, for the header and the result. */
  compiler?: string;
  /** Things the user should know (kept in the result): a version other than the one asked for. */
  warnings: string[];
  /** Things worth a line on stderr only: how long compiling took. */
  notes: string[];
  /** Removes what preparing made (a compiled copy). Idempotent. */
  dispose(): Promise<void>;
}

/**
 * One kind of Lambda runtime (Node.js, Python, custom): which handlers are
 * its, and how to make a `Runtime` that runs them on this machine. Adding a
 * runtime is a folder with one of these and a line in ./index.ts.
 */
export interface RuntimeFamily {
  /** For messages: `Node.js`, `Python`. */
  readonly label: string;
  /** The Lambda identifiers it answers to with `--runtime`, newest last. */
  readonly names: readonly string[];
  /** What a handler of this family looks like, for messages. */
  readonly handlerForm: string;
  /**
   * The handler `spec` names (relative to `cwd` or absolute), when it is one
   * of this family's and its file exists. Only looks at files: cheap enough
   * for deciding which target `<function>` names.
   */
  find(spec: string, cwd: string): HandlerSite | undefined;
  /** Resolves what runs the handler; a UsageError when it cannot run here (no interpreter, a compile error). */
  prepare(site: HandlerSite, request: RuntimeRequest): Promise<PreparedHandler>;
}

/** A prepared handler with nothing to clean up. */
export function prepared(located: LocatedHandler, warnings: string[] = []): PreparedHandler {
  return { located, warnings, notes: [], dispose: async () => {} };
}
