import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "../../errors.js";
import { RESERVED_ENVIRONMENT } from "../../lambda.js";

/** `--env-vars` read: a dotenv file's variables, or SAM's `--env-vars` JSON by function. */
export interface EnvironmentFile {
  path: string;
  /** Every function's: a dotenv file's variables, or the JSON's `Parameters`. */
  common: Record<string, string>;
  /** SAM's sections by function (logical id): `{"MyFunction": {"KEY": "value"}}`. */
  functions: Record<string, Record<string, string>>;
}

const CREDENTIALS = new Set([
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
]);

/**
 * A variable the function's configuration may set: a name Lambda accepts
 * (`[a-zA-Z]\w*`) and not one of the variables Lambda reserves
 * (docs/lambda-facts.md, "Runtime API"), which always win.
 */
export function checkVariableName(name: string, where: string): void {
  if (RESERVED_ENVIRONMENT.includes(name)) {
    throw new UsageError(
      `${where}: ${name} is reserved: Lambda sets it for every function and refuses a configuration that sets it`,
      {
        hint: CREDENTIALS.has(name)
          ? "Remove it; --pass-aws-credentials gives the sandboxes your own AWS credentials as Lambda gives the execution role's."
          : `Remove it; the sandboxes get the value Lambda would set. Reserved: ${RESERVED_ENVIRONMENT.join(", ")}.`,
      },
    );
  }
  if (!/^[A-Za-z]\w*$/.test(name)) {
    throw new UsageError(`${where}: '${name}' is not a name Lambda accepts for a variable`, {
      hint: "Use letters, digits and underscores, starting with a letter, e.g. TABLE_NAME.",
    });
  }
}

/** `--env KEY=VALUE` (the value may be empty, and may hold `=`). */
export function parseEnvAssignment(text: string): [string, string] {
  const equals = text.indexOf("=");
  if (equals < 0) {
    throw new UsageError(`--env ${text} has no '='`, {
      hint: `give a variable and its value, e.g. --env ${/^\w+$/.test(text) ? text : "TABLE_NAME"}=value (repeat --env for more)`,
    });
  }
  const name = text.slice(0, equals);
  checkVariableName(name, `--env ${text}`);
  return [name, text.slice(equals + 1)];
}

function malformed(path: string, line: number, why: string): UsageError {
  return new UsageError(`--env-vars ${path}:${line}: ${why}`, {
    hint: "Write one KEY=VALUE per line (# starts a comment; quote values with spaces), or SAM's --env-vars JSON.",
  });
}

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };

/**
 * A dotenv file: `KEY=VALUE` lines, optionally after `export `; `#` starts a
 * comment (in an unquoted value, after a space); '...' is taken as written,
 * "..." reads \n, \t, \" and \\; quoted values may span lines.
 */
export function parseDotenv(text: string, path: string): Record<string, string> {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const variables: Record<string, string> = {};
  for (let index = 0; index < lines.length; index++) {
    const number = index + 1;
    const line = (lines[index] ?? "").trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (match === null) throw malformed(path, number, `expected KEY=VALUE, got '${line}'`);
    const [, name = "", rest = ""] = match;
    checkVariableName(name, `--env-vars ${path}:${number}`);
    const quote = rest[0];
    if (quote !== '"' && quote !== "'") {
      variables[name] = rest.replace(/\s+#.*$/, "").trim();
      continue;
    }
    // A quoted value: read to the closing quote, across lines if need be.
    let value = "";
    let source = rest.slice(1);
    let closed = false;
    for (;;) {
      let at = 0;
      while (at < source.length) {
        const char = source[at] ?? "";
        if (char === quote) {
          closed = true;
          break;
        }
        if (quote === '"' && char === "\\" && at + 1 < source.length) {
          const next = source[at + 1] ?? "";
          value += ESCAPES[next] ?? `\\${next}`;
          at += 2;
          continue;
        }
        value += char;
        at++;
      }
      if (closed) {
        const after = source.slice(at + 1).trim();
        if (after !== "" && !after.startsWith("#")) {
          throw malformed(
            path,
            index + 1,
            `unexpected '${after}' after the quoted value of ${name}`,
          );
        }
        break;
      }
      index++;
      if (index >= lines.length) {
        throw malformed(path, number, `the value of ${name} opens ${quote} and never closes it`);
      }
      value += "\n";
      source = lines[index] ?? "";
    }
    variables[name] = value;
  }
  return variables;
}

function variablesOf(value: unknown, path: string, section: string): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`--env-vars ${path}: "${section}" is not an object of variables`, {
      hint: 'SAM\'s --env-vars format is {"MyFunction": {"KEY": "value"}, "Parameters": {"KEY": "value"}}.',
    });
  }
  const variables: Record<string, string> = {};
  for (const [name, entry] of Object.entries(value)) {
    if (typeof entry !== "string" && typeof entry !== "number" && typeof entry !== "boolean") {
      throw new UsageError(`--env-vars ${path}: ${section}.${name} is not a string`, {
        hint: `Give each variable a string value, e.g. "${name}": "value".`,
      });
    }
    checkVariableName(name, `--env-vars ${path} (${section})`);
    variables[name] = String(entry);
  }
  return variables;
}

/** SAM's `--env-vars` JSON: `Parameters` for every function, other sections by function. */
export function parseSamEnvVars(text: string, path: string): EnvironmentFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--env-vars ${path} is not valid JSON: ${(error as Error).message}`, {
      hint: 'Fix the JSON (SAM\'s --env-vars format: {"MyFunction": {"KEY": "value"}}), or write a dotenv file of KEY=VALUE lines.',
    });
  }
  const file: EnvironmentFile = { path, common: {}, functions: {} };
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`--env-vars ${path} holds JSON that is not an object`, {
      hint: 'SAM\'s --env-vars format is {"MyFunction": {"KEY": "value"}, "Parameters": {"KEY": "value"}}.',
    });
  }
  for (const [section, value] of Object.entries(parsed)) {
    const variables = variablesOf(value, path, section);
    if (section === "Parameters") file.common = variables;
    else file.functions[section] = variables;
  }
  return file;
}

/** Reads `--env-vars`: SAM's JSON when it starts with `{`, else dotenv. */
export function readEnvironmentFile(path: string, cwd: string): EnvironmentFile {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read --env-vars ${path}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`,
      { hint: "Check the path (relative to the current directory).", cause: error },
    );
  }
  if (text.trimStart().startsWith("{")) return parseSamEnvVars(text, path);
  return { path, common: parseDotenv(text, path), functions: {} };
}

/**
 * The function's environment: the file's common variables, then its section
 * for `functionName` (or its only section), then each `--env`, later winning.
 */
export function functionEnvironment(options: {
  functionName: string;
  file?: EnvironmentFile | undefined;
  assignments?: readonly (readonly [string, string])[];
}): Record<string, string> {
  const { file, functionName } = options;
  let section: Record<string, string> = {};
  if (file !== undefined) {
    const names = Object.keys(file.functions);
    const chosen = file.functions[functionName];
    if (chosen !== undefined) section = chosen;
    else if (names.length === 1) section = file.functions[names[0] ?? ""] ?? {};
    else if (names.length > 1) {
      throw new UsageError(
        `--env-vars ${file.path} has variables for ${names.join(", ")} but none for ${functionName}`,
        {
          hint: `Name a section ${functionName} (the function's name here), or keep one section and "Parameters".`,
        },
      );
    }
  }
  return { ...file?.common, ...section, ...Object.fromEntries(options.assignments ?? []) };
}
