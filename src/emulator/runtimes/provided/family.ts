import { accessSync, constants, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { UsageError } from "../../../errors.js";
import { HANDLER_INIT_ERRORS } from "../../../lambda.js";
import type { HandlerSite, RuntimeFamily } from "../family.js";
import { prepared } from "../family.js";
import type { Runtime } from "../runtime.js";

/** Lambda's OS-only runtimes, for a custom runtime's `bootstrap` (docs/lambda-facts.md, "Runtimes"). */
export const PROVIDED_RUNTIME_NAMES: readonly string[] = ["provided.al2023", "provided.al2"];

/** `_HANDLER` when none is named: what AWS's Go and Rust guides configure. */
const DEFAULT_HANDLER = "bootstrap";

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A custom runtime: `path/to/bootstrap`, a directory holding one, or
 * `path/to/dir/HANDLER` where dir holds one (then `_HANDLER` is HANDLER, as a
 * shell runtime's `function.handler`). The directory is the task root.
 */
function findBootstrap(spec: string, cwd: string): HandlerSite | undefined {
  const path = resolve(cwd, spec);
  const site = (taskRoot: string, handler: string): HandlerSite => ({
    family: providedFamily,
    taskRoot,
    handler,
    file: join(taskRoot, "bootstrap"),
  });
  if (basename(path) === "bootstrap" && isFile(path)) return site(dirname(path), DEFAULT_HANDLER);
  if (isDirectory(path)) {
    return isFile(join(path, "bootstrap")) ? site(path, DEFAULT_HANDLER) : undefined;
  }
  // Only with a directory named: a bare word in a custom runtime's directory may be a deployed function.
  const handler = basename(path);
  if (!spec.includes("/") || spec.endsWith("/") || isFile(path)) return undefined;
  return isFile(join(dirname(path), "bootstrap")) ? site(dirname(path), handler) : undefined;
}

function providedRuntime(name: string, bootstrap: string): Runtime {
  return {
    name,
    // Lambda sets no AWS_EXECUTION_ENV for OS-only runtimes.
    executionEnv: undefined,
    runtimeVersion: `provided:${name.slice("provided.".length)}.v0`,
    interpreter: { path: bootstrap },
    alwaysBillsInit: true,
    // A bootstrap that exits before asking for an event fails at every size alike.
    unfixableInitErrors: new Set([...HANDLER_INIT_ERRORS, "Runtime.ExitError"]),
    launch: () => ({ command: bootstrap, args: [] }),
    reportsOutOfMemory: () => false,
    initErrorHint(errorType, handler) {
      if (errorType === "Runtime.ExitError") {
        return (
          `${bootstrap} exited before asking the Runtime API for an event: run it with ` +
          "AWS_LAMBDA_RUNTIME_API, _HANDLER and LAMBDA_TASK_ROOT set to see why, and check that it " +
          `is built for this machine (Linux, ${process.arch}) and loops on /runtime/invocation/next.`
        );
      }
      return (
        `The bootstrap could not load the handler ${handler.handler}: name the handler it expects ` +
        `after its directory (lambda-tune run ${handler.taskRoot}/HANDLER), or fix ${bootstrap}.`
      );
    },
  };
}

/** Custom runtimes (`provided.al2023`): an executable `bootstrap` that serves the Runtime API itself. */
export const providedFamily: RuntimeFamily = {
  label: "custom runtime",
  names: PROVIDED_RUNTIME_NAMES,
  handlerForm: "path/to/bootstrap, a directory holding one, or path/to/dir/HANDLER",
  find: findBootstrap,
  async prepare(site, request) {
    try {
      accessSync(site.file, constants.X_OK);
    } catch (error) {
      throw new UsageError(`${site.file} is not executable`, {
        hint: `Lambda runs bootstrap as a program: make it executable (chmod +x ${site.file}), with a #! line if it is a script.`,
        cause: error,
      });
    }
    const asked = request.runtime;
    const name =
      asked !== undefined && PROVIDED_RUNTIME_NAMES.includes(asked) ? asked : "provided.al2023";
    const runtime = providedRuntime(name, site.file);
    return prepared({ runtime, taskRoot: site.taskRoot, handler: site.handler, file: site.file });
  },
};
