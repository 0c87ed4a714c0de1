import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { HandlerSite, RuntimeFamily } from "../family.js";
import { prepared } from "../family.js";
import { versionWarnings } from "../versions.js";
import { findPythonInterpreter } from "./interpreter.js";
import { createPythonRuntime, PYTHON_RUNTIME_NAMES } from "./runtime.js";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The task root of a Python module file: its directory, or above it while
 * that directory is a package (holds `__init__.py`), so `pkg/mod.fn` imports
 * `pkg.mod` as on Lambda; never above `bound` (the current directory, for a
 * relative spec).
 */
function taskRootOf(moduleDir: string, bound: string | undefined): string {
  let root = moduleDir;
  while (existsSync(join(root, "__init__.py")) && root !== bound && dirname(root) !== root) {
    root = dirname(root);
  }
  return root;
}

/**
 * `path/to/module.function` for a `module.py` (or a package `module/__init__.py`):
 * the task root is the module's directory, or the directory above its
 * packages, and `_HANDLER` is the module path from there (`pkg/mod.fn`).
 */
function findPythonHandler(spec: string, cwd: string): HandlerSite | undefined {
  const dot = spec.lastIndexOf(".");
  const fn = spec.slice(dot + 1);
  if (dot <= 0 || !IDENTIFIER.test(fn)) return undefined;
  const modulePart = spec.slice(0, dot);
  const slash = modulePart.lastIndexOf("/");
  // `pkg.mod` in the last path segment is a package path too, as Lambda reads it.
  const moduleFile =
    modulePart.slice(0, slash + 1) + modulePart.slice(slash + 1).replaceAll(".", "/");
  const base = isAbsolute(moduleFile) ? moduleFile : resolve(cwd, moduleFile);
  let file: string;
  if (existsSync(`${base}.py`)) file = `${base}.py`;
  else if (existsSync(join(base, "__init__.py"))) file = join(base, "__init__.py");
  else return undefined;
  const bound = isAbsolute(moduleFile) ? undefined : resolve(cwd);
  const taskRoot = taskRootOf(dirname(base), bound);
  const module = relative(taskRoot, base).split(sep).join("/");
  if (!module.split("/").every((part) => IDENTIFIER.test(part))) return undefined;
  return { family: pythonFamily, taskRoot, handler: `${module}.${fn}`, file };
}

/** Python handlers, run by a local interpreter with the shipped runtime client. */
export const pythonFamily: RuntimeFamily = {
  label: "Python",
  names: PYTHON_RUNTIME_NAMES,
  handlerForm: "path/to/module.function (module.py; pkg/mod.function in a package)",
  find: findPythonHandler,
  async prepare(site, request) {
    const interpreter = await findPythonInterpreter(site.taskRoot, request);
    const runtime = createPythonRuntime(interpreter);
    const located = { runtime, taskRoot: site.taskRoot, handler: site.handler, file: site.file };
    const warnings = versionWarnings({
      asked: request.runtime,
      ran: runtime.name,
      known: PYTHON_RUNTIME_NAMES,
      local: `Python ${interpreter.version} (${interpreter.path}, ${interpreter.source})`,
      fix: (name) => `give --python a Python ${name.replace(/^python/, "")} interpreter`,
    });
    return prepared(located, warnings);
  },
};
