import { Command, CommanderError } from "commander";
import { commands } from "./commands/index.js";
import { reportFailure } from "./failure.js";
import type { CliIo } from "./io.js";
import { VERSION } from "./version.js";

/** Parses argv, runs the command and returns the exit code; prints nothing itself but errors. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = new Command("lambda-tune")
    .description(
      "Find the memory size and timeout at which an AWS Lambda function is cheapest to run, and show why.",
    )
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError("  run `lambda-tune --help`, or `lambda-tune <command> --help`, for usage")
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Every error starts as the tool's own do, commander's included.
      outputError: (text, write) => write(text.replace(/^error: /, "lambda-tune: ")),
    });
  const context = { io, setExitCode: (code: number) => (exitCode = code) };
  for (const register of commands) register(program, context);
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return 0;
    return reportFailure(error, io);
  }
}
