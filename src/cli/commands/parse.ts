import type { RegisterCommand } from "./command.js";

export const registerParse: RegisterCommand = (program, { io, setExitCode }) => {
  program
    .command("parse")
    .description("print the REPORT records in log files (stdin when none) as NDJSON")
    .argument("[files...]", "log files: Lambda text or JSON log format, any mix")
    .action(async (files: string[]) => {
      const { parseCommand } = await import("../parse-command.js");
      setExitCode(await parseCommand(files, io));
    });
};
