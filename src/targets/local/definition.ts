import { checkRuntimeName } from "../../emulator/runtimes/index.js";
import { oneOf, type RawOptions, textOption } from "../../flags.js";
import type { TargetDefinition } from "../target.js";
import { parseEnvAssignment } from "./environment.js";
import { isLocalHandlerSpec } from "./handler-spec.js";

const ISOLATIONS = ["auto", "cgroup-v2", "cgroup-v1", "user-space-throttle", "none"] as const;

/** The function timeout when neither the user nor the function sets one. */
const DEFAULT_TIMEOUT_SECONDS = 30;

/** A repeatable option's values, as the run command collects them. */
function listOption(options: RawOptions, name: string): string[] {
  const value = options[name];
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === "string")
    : [];
}

/** A handler on this machine, run in the built-in emulator with Lambda's CPU and memory limits. */
export const localTarget: TargetDefinition = {
  kind: "local",
  names: "a handler path",
  options: [
    {
      flags: "--cold",
      description:
        "give every invocation a new sandbox (all cold starts): the pick is for a cold-start rate of 100%",
    },
    {
      flags: "--isolation <kind>",
      description: "auto (default), cgroup-v2, cgroup-v1, user-space-throttle or none",
    },
    {
      flags: "--runtime <name>",
      description:
        "Lambda's runtime, e.g. python3.12 or provided.al2023 (default: the handler's file says)",
    },
    {
      flags: "--python <interpreter>",
      description:
        "the Python to run a Python handler (default: a .venv in the task root, else python3)",
    },
    {
      flags: "--env <KEY=VALUE>",
      description: "a variable of the function's environment (repeatable)",
      repeatable: true,
    },
    {
      flags: "--env-vars <file>",
      description: "the function's environment from a dotenv file or SAM's --env-vars JSON",
    },
    {
      flags: "--pass-aws-credentials",
      description:
        "give the sandboxes your AWS credentials (the SDK's default chain), as Lambda gives the role's",
    },
  ],
  claims(functionArg, options, cwd) {
    // Lambda function names and ARNs have no "/"; a path is a handler, even a missing one.
    if (functionArg.includes("/") && !functionArg.startsWith("arn:")) return true;
    return isLocalHandlerSpec(functionArg, cwd, textOption(options, "runtime"));
  },
  configure(options) {
    const isolation = oneOf("--isolation", textOption(options, "isolation") ?? "auto", ISOLATIONS);
    const cold = options.cold === true;
    // `--no-bill-init` is a run flag (the cost model's); the emulator bills its REPORT lines the same way.
    const billInit = options.billInit !== false;
    const runtime = textOption(options, "runtime");
    if (runtime !== undefined) checkRuntimeName("--runtime", runtime);
    const python = textOption(options, "python");
    const envVars = textOption(options, "envVars");
    const assignments = listOption(options, "env").map(parseEnvAssignment);
    const passCredentials = options.passAwsCredentials === true;
    return async (request) => {
      const { availableParallelism } = await import("node:os");
      const { findHandler } = await import("../../emulator/runtimes/index.js");
      const { functionEnvironment, readEnvironmentFile } = await import("./environment.js");
      const { defaultFunctionName } = await import("./handler-spec.js");
      const file = envVars === undefined ? undefined : readEnvironmentFile(envVars, request.cwd);
      const site = findHandler(request.functionArg, request.cwd, runtime);
      const functionName = site === undefined ? "local-function" : defaultFunctionName(site);
      const env = functionEnvironment({ functionName, file, assignments });
      const warnings: string[] = [];
      if (passCredentials) {
        const { credentialsWarning, resolveCallerCredentials } = await import(
          "../../aws/credentials.js"
        );
        const credentials = await resolveCallerCredentials();
        Object.assign(env, credentials.variables);
        warnings.push(credentialsWarning(credentials));
      }
      const { installCleanupHandlers } = await import("../../emulator/cleanup.js");
      const { readOwnCgroupFiles, selectLimitBackend } = await import(
        "../../emulator/limits/detect.js"
      );
      const { createLocalTarget } = await import("./local-target.js");
      // The safety net: sandboxes die with the tool even if a dispose path is skipped.
      installCleanupHandlers();
      const hostCores = availableParallelism();
      const backend = await selectLimitBackend({
        prefer: isolation,
        hostCores,
        ...readOwnCgroupFiles(),
        pid: process.pid,
        platform: process.platform,
      });
      try {
        return createLocalTarget({
          handler: request.functionArg,
          cwd: request.cwd,
          callerEnv: request.env,
          functionName,
          ...(runtime !== undefined && { runtime }),
          ...(python !== undefined && { python }),
          timeoutSeconds: request.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
          cold,
          concurrency: request.concurrency,
          billInit,
          env,
          warnings,
          isolation: backend,
          hostCores,
          plannedSizes: request.plannedSizes,
          ...(request.region !== undefined && { region: request.region }),
        });
      } catch (error) {
        await backend.dispose();
        throw error;
      }
    };
  },
};
