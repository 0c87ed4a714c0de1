import type { RegisterCommand } from "./command.js";

export const registerRestore: RegisterCommand = (program, { io, setExitCode }) => {
  program
    .command("restore")
    .description(
      "put a function back from the journal a killed run left: its configuration, and delete the versions that run published",
    )
    .argument("<function>", "the function's name or ARN")
    .option("--region <region>", "AWS region (default: the journal's)")
    .option("--profile <name>", "named profile in ~/.aws/config")
    .option("--endpoint-url <url>", "send the calls here instead of AWS")
    .option("--force", "restore even though the process that wrote the journal still runs")
    .action(async (fn: string, options: Record<string, unknown>) => {
      const { restoreCommand } = await import("../restore-command.js");
      setExitCode(await restoreCommand(fn, options, io));
    });
};
