/**
 * Environment variables that make a runtime (or the dynamic linker, or a
 * shell) load or run code from a path or a flag, rather than configure the
 * handler. Through UpdateFunctionConfiguration anyone who can reach the API
 * could otherwise run any file on the host in the next sandbox
 * (`NODE_OPTIONS=--require /any/file.cjs`), so `emulate` refuses them unless
 * allowed by name (`--allow-env`). On Lambda they are allowed: there the code
 * runs in its own micro-VM.
 */
export const CODE_LOADING_ENV: readonly string[] = [
  // Node.js: --require/--import/--loader, module search paths (~/.node_modules via HOME).
  "NODE_OPTIONS",
  "NODE_PATH",
  "NODE_REPL_EXTERNAL_MODULE",
  // Python: modules on the path (sitecustomize), the user site (usercustomize), startup files.
  "PYTHONPATH",
  "PYTHONHOME",
  "PYTHONSTARTUP",
  "PYTHONUSERBASE",
  "PYTHONEXECUTABLE",
  "PYTHONBREAKPOINT",
  "PYTHONWARNINGS",
  "PYTHONINSPECT",
  // The dynamic linker and libc.
  "LD_PRELOAD",
  "LD_LIBRARY_PATH",
  "LD_AUDIT",
  "GCONV_PATH",
  // Shells (bash reads BASH_ENV before any non-interactive script) and where commands are found.
  "BASH_ENV",
  "ENV",
  "PATH",
  "HOME",
  // Other Lambda runtimes.
  "RUBYOPT",
  "RUBYLIB",
  "PERL5OPT",
  "PERL5LIB",
  "PERLLIB",
  "JAVA_TOOL_OPTIONS",
  "_JAVA_OPTIONS",
  "JDK_JAVA_OPTIONS",
  "CLASSPATH",
  "DOTNET_STARTUP_HOOKS",
  // Lambda's own wrapper script for managed runtimes.
  "AWS_LAMBDA_EXEC_WRAPPER",
];

const PREFIXES = ["LD_", "DYLD_"];

/** Whether setting `name` can make a sandbox load code from elsewhere. */
export function loadsCode(name: string): boolean {
  return CODE_LOADING_ENV.includes(name) || PREFIXES.some((prefix) => name.startsWith(prefix));
}
