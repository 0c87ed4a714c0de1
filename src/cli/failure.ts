import { CommanderError } from "commander";
import { LambdaTuneError } from "../errors.js";
import { type CliIo, write } from "./io.js";
import { BUGS_URL } from "./version.js";

/** Prints a failure the way a user should see it and returns the exit code. */
export async function reportFailure(error: unknown, io: CliIo): Promise<number> {
  if (error instanceof CommanderError) {
    // commander has already printed its message; usage errors are exit 2
    // (docs/architecture.md, "Errors and exit codes").
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof LambdaTuneError) {
    let text = `lambda-tune: ${error.message}\n`;
    if (error.hint !== undefined) text += `  ${error.hint}\n`;
    const cause = error.cause instanceof Error ? error.cause.message : undefined;
    if (cause !== undefined && !error.message.includes(cause)) text += `  cause: ${cause}\n`;
    await write(io.stderr, text);
    return error.exitCode;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  const where = BUGS_URL === undefined ? "" : ` at ${BUGS_URL}`;
  await write(
    io.stderr,
    `lambda-tune: unexpected failure (a bug; please report it${where} with this output and \`lambda-tune --version\`):\n${text}\n`,
  );
  return 1;
}
