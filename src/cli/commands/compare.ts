import type { RegisterCommand } from "./command.js";

export const registerCompare: RegisterCommand = (program, { io, setExitCode }) => {
  program
    .command("compare")
    .description(
      "compare a result with a baseline result of the same function; gate on regressions",
    )
    .argument("<baseline>", "the earlier result (JSON from run --json or --out)")
    .argument("<current>", "the newer result")
    .option(
      "--fail-on-regression <threshold>",
      "exit 3 when cost or p95 at the current size got worse by more than this beyond noise (10% or 0.1), or the recommendation moved that far",
    )
    .option(
      "--allow-inconclusive",
      "with --fail-on-regression: pass when the gated size could not be compared (not measured in both, or too few calls)",
    )
    .option("--force", "compare results of different functions")
    .option("--output <format>", "table (default), markdown or json")
    .action(async (baseline: string, current: string, options: Record<string, unknown>) => {
      const { compareCommand } = await import("../compare-command.js");
      setExitCode(await compareCommand([baseline, current], options, io));
    });
};
