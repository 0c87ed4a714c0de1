import { fileURLToPath } from "node:url";
import { HANDLER_INIT_ERRORS } from "../../../lambda.js";
import type { Runtime } from "../runtime.js";
import type { PythonInterpreter } from "./interpreter.js";

/** Lambda's Python runtimes lambda-tune knows (docs/lambda-facts.md, "Runtimes"). */
export const PYTHON_RUNTIME_NAMES: readonly string[] = [
  "python3.9",
  "python3.10",
  "python3.11",
  "python3.12",
  "python3.13",
];

// The runtime client ships beside this module: `npm run build` copies it into dist/.
const BOOTSTRAP = fileURLToPath(new URL("./bootstrap.py", import.meta.url));

/** The module and function of a Python handler (`pkg/mod.fn`: module `pkg/mod`, function `fn`). */
export function splitPythonHandler(handler: string): { module: string; fn: string } {
  const dot = handler.lastIndexOf(".");
  return { module: handler.slice(0, dot), fn: handler.slice(dot + 1) };
}

/**
 * Python handlers run by the shipped runtime client (./bootstrap.py, standard
 * library only) on a local interpreter, whose version names the runtime.
 */
export function createPythonRuntime(interpreter: PythonInterpreter): Runtime {
  const name = `python${interpreter.minor}`;
  return {
    name,
    executionEnv: `AWS_Lambda_${name}`,
    runtimeVersion: `python:${interpreter.minor}.v0`,
    interpreter: { path: interpreter.path, version: interpreter.version },
    alwaysBillsInit: false,
    unfixableInitErrors: HANDLER_INIT_ERRORS,

    // Memory is bounded by the sandbox's limit group, as Lambda bounds it: CPython has no heap flag.
    launch: () => ({ command: interpreter.path, args: [BOOTSTRAP] }),
    probe: (handler) => ({
      command: interpreter.path,
      args: [BOOTSTRAP, "--probe", handler.taskRoot, handler.handler],
    }),

    // An allocation the interpreter could not make, uncaught, ends the runtime with this line.
    reportsOutOfMemory: (output) => /^MemoryError\b/m.test(output),

    initErrorHint(errorType, handler) {
      const { module, fn } = splitPythonHandler(handler.handler);
      switch (errorType) {
        case "Runtime.HandlerNotFound":
          return `Define a function ${fn}(event, context) in ${handler.file}, or name the function that is the handler (module.function).`;
        case "Runtime.UserCodeSyntaxError":
          return `Fix the syntax error in ${handler.file} (python3 -m py_compile shows it), then run again.`;
        case "Runtime.ImportModuleError":
          return (
            `Make ${module} and what it imports importable from the task root ${handler.taskRoot}: ` +
            `install its dependencies for ${interpreter.path} (${interpreter.source}), ` +
            "into a .venv in the task root, or point --python at an interpreter that has them."
          );
        default:
          return `Fix ${handler.file} so that it imports, then run again.`;
      }
    },
  };
}
