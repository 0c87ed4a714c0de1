import type { RegisterCommand } from "./command.js";

export const registerReport: RegisterCommand = (program, { io, setExitCode }) => {
  program
    .command("report")
    .description(
      "render a saved result (from run --json or --out) as a table, markdown, html or json",
    )
    .argument("<file>", "a result document written by lambda-tune run")
    .option("--output <format>", "table (default), markdown, html or json")
    .option("--json", "the document as JSON (the same as --output json)")
    .option("--out <file>", "write the rendering to this file instead of stdout")
    .option(
      "--verbose",
      "table output: the detail behind the recommendation (band, runner-up, timeout, model)",
    )
    .action(
      async (
        file: string,
        options: { output?: string; out?: string; json?: boolean; verbose?: boolean },
      ) => {
        const { reportCommand } = await import("../report-command.js");
        setExitCode(await reportCommand(file, options, io));
      },
    );
};
