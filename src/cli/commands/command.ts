import type { Command } from "commander";
import type { CliIo } from "../io.js";

/** What a command's action needs from the program: the streams, and where its exit code goes. */
export interface CommandContext {
  io: CliIo;
  setExitCode(code: number): void;
}

/** Adds one command (its arguments, options, help and action) to the program. */
export type RegisterCommand = (program: Command, context: CommandContext) => void;
