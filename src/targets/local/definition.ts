import { oneOf, textOption } from "../../flags.js";
import type { TargetDefinition } from "../target.js";
import { isLocalHandlerSpec } from "./handler-spec.js";

const ISOLATIONS = ["auto", "cgroup-v2", "cgroup-v1", "user-space-throttle", "none"] as const;

/** The function timeout when neither the user nor the function sets one. */
const DEFAULT_TIMEOUT_SECONDS = 30;

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
  ],
  claims(functionArg, _options, cwd) {
    // Lambda function names and ARNs have no "/"; a path is a handler, even a missing one.
    if (functionArg.includes("/") && !functionArg.startsWith("arn:")) return true;
    return isLocalHandlerSpec(functionArg, cwd);
  },
  configure(options) {
    const isolation = oneOf("--isolation", textOption(options, "isolation") ?? "auto", ISOLATIONS);
    const cold = options.cold === true;
    // `--no-bill-init` is a run flag (the cost model's); the emulator bills its REPORT lines the same way.
    const billInit = options.billInit !== false;
    return async (request) => {
      const { availableParallelism } = await import("node:os");
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
          timeoutSeconds: request.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
          cold,
          concurrency: request.concurrency,
          billInit,
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
