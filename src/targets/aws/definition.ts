import { UsageError } from "../../errors.js";
import { parsePositiveNumber, textOption } from "../../flags.js";
import type { Target, TargetDefinition } from "../target.js";

/** A deployed function on AWS Lambda, through the AWS SDK (or an emulator at --endpoint-url). */
export const awsTarget: TargetDefinition = {
  kind: "aws",
  names: "a function name or ARN",
  options: [
    {
      flags: "--profile <name>",
      description: "named profile in ~/.aws/config for credentials and region",
    },
    {
      flags: "--endpoint-url <url>",
      description: "send Lambda and CloudWatch Logs calls here (e.g. `lambda-tune emulate`)",
    },
    {
      flags: "--dry-run",
      description: "print the API calls and the cost estimate; change nothing",
    },
    {
      flags: "--max-cost <usd>",
      description: "refuse a sweep whose worst-case cost is above this (exit 3)",
    },
    {
      flags: "--apply",
      description: "set the recommended memory and timeout on the function instead of restoring it",
    },
    {
      flags: "--apply-alias <name>",
      description: "publish a version with the recommendation and point this alias at it",
    },
  ],
  // Anything that is not a handler or a recording names a deployed function.
  claims: () => true,
  configure(options) {
    const maxCost = textOption(options, "maxCost");
    const applyAlias = textOption(options, "applyAlias");
    const apply = options.apply === true;
    if (apply && applyAlias !== undefined) {
      throw new UsageError("--apply and --apply-alias were both given", {
        hint: "--apply changes the function itself; --apply-alias NAME points an alias at a new version instead: keep one",
      });
    }
    const profile = textOption(options, "profile");
    const endpointUrl = textOption(options, "endpointUrl");
    const maxCostUsd =
      maxCost === undefined ? undefined : parsePositiveNumber("--max-cost", maxCost, "USD", "0.50");
    const dryRun = options.dryRun === true;
    return async (request): Promise<Target> => {
      const { homedir } = await import("node:os");
      const { checkJournalDir, checkNoJournal, createAwsTarget, journalDir } = await import(
        "./index.js"
      );
      const { awsApply, awsPreflight, restoreReportOf } = await import("./run-hooks.js");
      const stateDir = journalDir(request.env, request.env.HOME ?? homedir());
      await checkJournalDir(stateDir, request.env);
      await checkNoJournal({
        stateDir,
        functionArg: request.functionArg,
        ...(request.region !== undefined && { region: request.region }),
      });
      const target = createAwsTarget({
        functionArg: request.functionArg,
        stateDir,
        signal: request.signal,
        env: request.env,
        ...(request.region !== undefined && { region: request.region }),
        ...(profile !== undefined && { profile }),
        ...(endpointUrl !== undefined && { endpointUrl }),
        ...(request.timeoutSeconds !== undefined && { timeoutSeconds: request.timeoutSeconds }),
      });
      const flags = {
        dryRun,
        maxCostUsd,
        apply,
        applyAlias,
        timeoutSeconds: request.timeoutSeconds,
      };
      return Object.assign(target, {
        preflight: (context: Parameters<typeof awsPreflight>[1]) => awsPreflight(flags, context),
        apply: (doc: Parameters<typeof awsApply>[2]) => awsApply(target, flags, doc),
        restoreReport: () => restoreReportOf(target.restoreOutcome(), request.functionArg),
      });
    };
  },
};
