// Runs `emulateCommand` as its own process, as `lambda-tune emulate` will:
// argv[2] is the options as JSON.
import { emulateCommand } from "../../../src/cli/emulate-command.js";
import { reportFailure } from "../../../src/cli/failure.js";
import { processIo } from "../../../src/cli/io.js";

const io = processIo();
try {
  process.exitCode = await emulateCommand(JSON.parse(process.argv[2] ?? "{}"), io);
} catch (error) {
  process.exitCode = await reportFailure(error, io);
}
