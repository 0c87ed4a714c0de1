import {
  existsSync,
  lchownSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, extname, join } from "node:path";
import { UsageError } from "../../../errors.js";
import { SANDBOX_GID, SANDBOX_UID } from "../run-as.js";

export interface CompiledHandler {
  /** The task root of the compiled code: a temporary directory. */
  outDir: string;
  /** The bundle's file name in outDir, without its extension: the handler's module. */
  modulePath: string;
  /** e.g. `esbuild 0.28.2` */
  compiler: string;
  elapsedMs: number;
  /** Removes outDir. Idempotent. */
  remove(): void;
}

/** The nearest package.json's `type` above `dir`: how Node.js reads a .ts file's module syntax. */
function packageType(dir: string): "module" | "commonjs" {
  for (let at = dir; ; at = dirname(at)) {
    const file = join(at, "package.json");
    if (existsSync(file)) {
      try {
        return (JSON.parse(readFileSync(file, "utf8")) as { type?: unknown }).type === "module"
          ? "module"
          : "commonjs";
      } catch {
        return "commonjs";
      }
    }
    if (dirname(at) === at) return "commonjs";
  }
}

/** The nearest node_modules above `dir`, which the compiled copy must still resolve from. */
function nearestNodeModules(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const candidate = join(at, "node_modules");
    if (existsSync(candidate)) return candidate;
    if (dirname(at) === at) return undefined;
  }
}

interface EsbuildMessage {
  text: string;
  location: { file: string; line: number; column: number; lineText: string } | null;
}

function describeFailure(error: unknown): string {
  const errors = (error as { errors?: EsbuildMessage[] }).errors;
  if (!Array.isArray(errors) || errors.length === 0)
    return (error as Error).message ?? String(error);
  return errors
    .slice(0, 5)
    .map(({ text, location }) =>
      location === null
        ? text
        : `${location.file}:${location.line}:${location.column + 1}: ${text}\n    ${location.lineText}`,
    )
    .join("\n");
}

// Lambda's Node.js runtime provides the AWS SDK for JavaScript v3; bundlers
// for Lambda (CDK's NodejsFunction, SAM's esbuild builder) leave it out too.
const PROVIDED_BY_THE_RUNTIME = ["@aws-sdk/*"];

/**
 * Compiles a TypeScript handler with esbuild into a temporary directory, as
 * Lambda's bundlers do: one bundle of the handler and the code it imports,
 * with a source map, ESM or CommonJS as Node.js would read the source
 * (.mts, .cts, or the nearest package.json's `type`). Packages left out of the
 * bundle resolve from the project's node_modules through a link. A syntax
 * error is a UsageError (esbuild checks syntax, not types).
 */
export async function compileTypeScript(options: {
  file: string;
  /** Where esbuild's messages name files from. */
  cwd: string;
  nodeMajor: string;
}): Promise<CompiledHandler> {
  const { file } = options;
  const extension = extname(file);
  const esm =
    extension === ".mts" || (extension === ".ts" && packageType(dirname(file)) === "module");
  const outDir = compiledCopyDir();
  const remove = () => rmSync(outDir, { recursive: true, force: true });
  // A run ended by a signal or an error still removes it.
  const onExit = () => remove();
  process.once("exit", onExit);
  const removeOnce = () => {
    process.off("exit", onExit);
    remove();
  };
  const started = performance.now();
  try {
    const esbuild = await import("esbuild");
    await esbuild.build({
      entryPoints: [file],
      outdir: outDir,
      outbase: dirname(file),
      bundle: true,
      platform: "node",
      target: `node${options.nodeMajor}`,
      format: esm ? "esm" : "cjs",
      outExtension: { ".js": esm ? ".mjs" : ".cjs" },
      external: PROVIDED_BY_THE_RUNTIME,
      sourcemap: true,
      // Bundled CommonJS dependencies may require() Node's own modules from ESM.
      ...(esm && {
        banner: {
          js: 'import { createRequire as __lambdaTuneCreateRequire } from "node:module"; const require = __lambdaTuneCreateRequire(import.meta.url);',
        },
      }),
      logLevel: "silent",
      absWorkingDir: options.cwd,
    });
    const modules = nearestNodeModules(dirname(file));
    if (modules !== undefined) symlinkSync(modules, join(outDir, "node_modules"), "dir");
    // As root, sandboxes run as the sandbox user (run-as.ts): the bundle is theirs to read,
    // and still nobody else's (the directory stays 0700).
    if (process.getuid?.() === 0) {
      for (const entry of ["", ...readdirSync(outDir, { recursive: true, encoding: "utf8" })]) {
        lchownSync(join(outDir, entry), SANDBOX_UID, SANDBOX_GID);
      }
    }
    return {
      outDir,
      modulePath: basename(file, extension),
      compiler: `esbuild ${esbuild.version}`,
      elapsedMs: performance.now() - started,
      remove: removeOnce,
    };
  } catch (error) {
    removeOnce();
    throw new UsageError(`cannot compile ${file}:\n${describeFailure(error)}`, {
      // esbuild's own message repeats the errors above: no cause.
      hint: "Fix the syntax error esbuild reports (it compiles TypeScript without checking types), then run again.",
    });
  }
}

/** A fresh directory for the compiled copy; a temporary directory that cannot take one is the user's to fix. */
function compiledCopyDir(): string {
  const parent = tmpdir();
  try {
    return mkdtempSync(join(parent, "lambda-tune-ts-"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError(
      `cannot create a directory for the compiled TypeScript handler in ${parent} (${code})`,
      {
        hint: "set TMPDIR to a writable directory (the compiled copy is removed when the run ends)",
      },
    );
  }
}
