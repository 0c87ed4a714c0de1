import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { loadsCode } from "../emulator/api/code-loading-env.js";
import type { FunctionDefinition } from "../emulator/api/emulated-function.js";
import { type LambdaApi, startLambdaApi } from "../emulator/api/lambda-api.js";
import type { ApiCredentials } from "../emulator/api/request-guard.js";
import { installCleanupHandlers } from "../emulator/cleanup.js";
import { readOwnCgroupFiles, selectLimitBackend } from "../emulator/limits/detect.js";
import type { IsolationKind } from "../emulator/limits/types.js";
import { checkRuntimeName } from "../emulator/runtimes/index.js";
import { UsageError } from "../errors.js";
import {
  MAX_MEMORY_MB,
  MAX_TIMEOUT_SECONDS,
  MIN_MEMORY_MB,
  MIN_TIMEOUT_SECONDS,
} from "../lambda.js";
import { runtimeText } from "../report/runtime-text.js";
import {
  type EnvironmentFile,
  functionEnvironment,
  parseEnvAssignment,
  readEnvironmentFile,
} from "../targets/local/environment.js";
import { isolationWarnings } from "../targets/local/index.js";
import { refuseEnvFile } from "./applicable.js";
import { type CliIo, write } from "./io.js";

export interface EmulateOptions {
  port?: string;
  /** `NAME=path/to/file.export`, repeatable. */
  function?: string[];
  memory?: string;
  timeout?: string;
  updateDelay?: string;
  region?: string;
  isolation?: string;
  concurrency?: string;
  /** `--runtime`: Lambda's runtime for every function (default: each handler's file says). */
  runtime?: string;
  /** `--python`: the interpreter of the Python functions. */
  python?: string;
  /** `KEY=VALUE`, repeatable: in every function's environment. */
  env?: string[];
  /** A dotenv file, or SAM's --env-vars JSON (sections by function name). */
  envVars?: string;
  passAwsCredentials?: boolean;
  /** The key pair requests must be signed with (both, or neither). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** false with --no-auth: any local process may call. */
  auth?: boolean;
  /** Code-loading environment variables UpdateFunctionConfiguration may set (`--allow-env`, repeatable). */
  allowEnv?: string[];
}

const ISOLATIONS = ["auto", "cgroup-v2", "cgroup-v1", "user-space-throttle", "none"] as const;

function wholeNumber(flag: string, value: string, min: number, max: number, hint: string): number {
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got '${value}'`, {
      hint,
    });
  }
  return number;
}

function functionDefinitions(options: EmulateOptions, cwd: string): FunctionDefinition[] {
  const specs = options.function ?? [];
  if (specs.length === 0) {
    throw new UsageError("no function to emulate", {
      hint: "give --function NAME=path/to/file.export, e.g. --function my-fn=src/index.handler (repeat it for more)",
    });
  }
  const memoryMb =
    options.memory === undefined
      ? undefined
      : wholeNumber(
          "--memory",
          options.memory,
          MIN_MEMORY_MB,
          MAX_MEMORY_MB,
          "Use Lambda's range, e.g. --memory 128.",
        );
  const timeoutSeconds =
    options.timeout === undefined
      ? undefined
      : wholeNumber(
          "--timeout",
          options.timeout,
          MIN_TIMEOUT_SECONDS,
          MAX_TIMEOUT_SECONDS,
          "Use Lambda's range, e.g. --timeout 3.",
        );
  const assignments = (options.env ?? []).map(parseEnvAssignment);
  const file: EnvironmentFile | undefined =
    options.envVars === undefined ? undefined : readEnvironmentFile(options.envVars, cwd);
  return specs.map((spec) => {
    const equals = spec.indexOf("=");
    if (equals <= 0 || equals === spec.length - 1) {
      throw new UsageError(`--function '${spec}' is not NAME=path/to/file.export`, {
        hint: "name the function and its handler, e.g. --function my-fn=src/index.handler",
      });
    }
    const name = spec.slice(0, equals);
    const environment = functionEnvironment({ functionName: name, file, assignments });
    return {
      name,
      handler: spec.slice(equals + 1),
      ...(Object.keys(environment).length > 0 && { environment }),
      ...(memoryMb !== undefined && { memoryMb }),
      ...(timeoutSeconds !== undefined && { timeoutSeconds }),
    };
  });
}

function isolationChoice(value: string | undefined): IsolationKind | "auto" {
  const choice = value ?? "auto";
  if ((ISOLATIONS as readonly string[]).includes(choice)) return choice as IsolationKind | "auto";
  throw new UsageError(`unknown --isolation '${choice}'`, {
    hint: `use one of: ${ISOLATIONS.join(", ")}`,
  });
}

function listenError(error: unknown, port: number): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EADDRINUSE") {
    return new UsageError(`port ${port} on 127.0.0.1 is already in use`, {
      hint: "choose another --port, or --port 0 for a free one",
      cause: error,
    });
  }
  if (code === "EACCES") {
    return new UsageError(`not allowed to listen on port ${port}`, {
      hint: "choose a port from 1024 up, or --port 0 for a free one",
      cause: error,
    });
  }
  return error;
}

/** Where the key pair came from, for what emulate prints. */
type KeySource = "flags" | "environment" | "generated";

/**
 * The key pair requests must be signed with: --access-key-id and
 * --secret-access-key, else AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in
 * emulate's own environment, else a random pair for this run.
 */
function chooseCredentials(
  options: EmulateOptions,
  env: NodeJS.ProcessEnv,
): { credentials: ApiCredentials; source: KeySource } | "none" {
  const flagged = [options.accessKeyId, options.secretAccessKey];
  if (options.auth === false) {
    if (flagged.some((value) => value !== undefined)) {
      throw new UsageError("--no-auth was given with a key pair", {
        hint: "drop --no-auth to require signed requests, or drop --access-key-id and --secret-access-key",
      });
    }
    return "none";
  }
  const [accessKeyId, secretAccessKey] = flagged;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new UsageError("--access-key-id and --secret-access-key go together", {
      hint: "give both (any values: clients sign with them), or neither to use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or a generated pair",
    });
  }
  if (accessKeyId !== undefined && secretAccessKey !== undefined) {
    if (accessKeyId === "" || secretAccessKey === "" || /[\s/]/.test(accessKeyId)) {
      throw new UsageError("the key pair is empty or the access key id has spaces or slashes", {
        hint: "give e.g. --access-key-id local --secret-access-key some-secret",
      });
    }
    return { credentials: { accessKeyId, secretAccessKey }, source: "flags" };
  }
  const fromEnv = { id: env.AWS_ACCESS_KEY_ID, secret: env.AWS_SECRET_ACCESS_KEY };
  if (fromEnv.id && fromEnv.secret && !/[\s/]/.test(fromEnv.id)) {
    return {
      credentials: { accessKeyId: fromEnv.id, secretAccessKey: fromEnv.secret },
      source: "environment",
    };
  }
  return {
    credentials: {
      accessKeyId: `LT${randomBytes(9).toString("hex").toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString("base64url"),
    },
    source: "generated",
  };
}

function allowedEnv(names: readonly string[] | undefined): string[] {
  for (const name of names ?? []) {
    if (!/^[a-zA-Z_]\w*$/.test(name)) {
      throw new UsageError(`--allow-env '${name}' is not an environment variable name`, {
        hint: "name one variable per flag, e.g. --allow-env NODE_OPTIONS",
      });
    }
    if (!loadsCode(name)) {
      throw new UsageError(
        `--allow-env ${name}: the emulator does not refuse ${name}, so there is nothing to allow`,
        {
          hint: "--allow-env names a variable that loads code (NODE_OPTIONS, PYTHONPATH, LD_PRELOAD, ...; README lists them); others need no flag",
        },
      );
    }
  }
  return [...(names ?? [])];
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/**
 * `lambda-tune emulate`: serves local handlers through Lambda's and
 * CloudWatch Logs' HTTP APIs on 127.0.0.1 until SIGINT/SIGTERM (or `stop`).
 */
export async function emulateCommand(
  options: EmulateOptions,
  io: CliIo,
  stop?: Promise<void>,
): Promise<number> {
  refuseEnvFile(options as Record<string, unknown>);
  if (options.runtime !== undefined) checkRuntimeName("--runtime", options.runtime);
  const functions = functionDefinitions(options, io.cwd);
  const port = wholeNumber(
    "--port",
    options.port ?? "0",
    0,
    65_535,
    "use e.g. --port 3001, or 0 for a free one",
  );
  const updateDelayMs = wholeNumber(
    "--update-delay",
    options.updateDelay ?? "200",
    0,
    600_000,
    "give milliseconds, e.g. --update-delay 200",
  );
  const concurrency = wholeNumber(
    "--concurrency",
    options.concurrency ?? "4",
    1,
    1000,
    "e.g. --concurrency 4",
  );
  const warnings: string[] = [];
  let credentials: Record<string, string> | undefined;
  if (options.passAwsCredentials === true) {
    const { credentialsWarning, resolveCallerCredentials } = await import("../aws/credentials.js");
    const resolved = await resolveCallerCredentials();
    credentials = resolved.variables;
    warnings.push(credentialsWarning(resolved));
  }
  const auth = chooseCredentials(options, io.env);
  const allowEnv = allowedEnv(options.allowEnv);
  const hostCores = availableParallelism();
  installCleanupHandlers();
  const isolation = await selectLimitBackend({
    prefer: isolationChoice(options.isolation),
    hostCores,
    ...readOwnCgroupFiles(),
    pid: process.pid,
    platform: process.platform,
  });
  let api: LambdaApi;
  try {
    api = await startLambdaApi({
      port,
      functions,
      updateDelayMs,
      concurrency,
      isolation,
      hostCores,
      cwd: io.cwd,
      runtime: {
        env: io.env,
        ...(options.runtime !== undefined && { runtime: options.runtime }),
        ...(options.python !== undefined && { python: options.python }),
      },
      ...(credentials !== undefined && { credentials }),
      auth: auth === "none" ? "none" : auth.credentials,
      allowEnv,
      ...(options.region !== undefined && { region: options.region }),
    });
  } catch (error) {
    throw listenError(error, port);
  }
  // Listen for the signals before announcing the port, so a stop right after it is not missed.
  const stopped = stop ?? untilSignal();
  try {
    warnings.push(...isolationWarnings(isolation, hostCores, undefined), ...api.warnings);
    await write(io.stderr, warnings.map((w) => `lambda-tune: warning: ${w}\n`).join(""));
    const runtimes = api.functions.map((fn) => `${fn.name} runs on ${runtimeText(fn.runtime)}`);
    await write(
      io.stderr,
      [...api.notes, ...runtimes].map((line) => `lambda-tune: ${line}\n`).join(""),
    );
    const names = functions.map((fn) => fn.name).join(", ");
    await write(io.stdout, `lambda-tune emulator listening on ${api.url} (functions: ${names})\n`);
    await write(io.stdout, credentialLines(auth, api.url, functions[0]?.name ?? "my-fn", io));
    await write(io.stderr, authNotice(auth, api.url));
    await stopped;
  } finally {
    await api.close();
  }
  return 0;
}

/** With a generated key pair, how to use it (stdout: the user needs it); else nothing. */
function credentialLines(
  auth: ReturnType<typeof chooseCredentials>,
  url: string,
  example: string,
  io: CliIo,
): string {
  if (auth === "none" || auth.source !== "generated") return "";
  const { accessKeyId, secretAccessKey } = auth.credentials;
  const region = io.env.AWS_REGION ?? "us-east-1";
  return [
    "requests must be signed with this key pair, generated for this run:",
    `  export AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey} AWS_REGION=${region}`,
    `  lambda-tune run ${example} --endpoint-url ${url}`,
    "",
  ].join("\n");
}

/** Where the key pair came from, or that there is none (stderr). */
function authNotice(auth: ReturnType<typeof chooseCredentials>, url: string): string {
  if (auth === "none") {
    return "lambda-tune: warning: --no-auth: any local process can call the emulator and run its functions' code; only the Host and Origin checks remain\n";
  }
  if (auth.source === "generated") return "";
  const where =
    auth.source === "flags"
      ? "--access-key-id and --secret-access-key"
      : "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in this environment";
  return `lambda-tune: requests must be signed with the key pair of ${where} (${auth.credentials.accessKeyId}); clients take --endpoint-url ${url}\n`;
}
