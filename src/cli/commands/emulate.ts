import { Option } from "commander";
import type { RegisterCommand } from "./command.js";

export const registerEmulate: RegisterCommand = (program, { io, setExitCode }) => {
  program
    .command("emulate")
    .description(
      "serve local handlers through Lambda's and CloudWatch Logs' HTTP APIs on 127.0.0.1",
    )
    .option(
      "--function <NAME=handler>",
      "a function and its handler: path/to/file.export (.js, .ts), path/to/module.function (Python) or path/to/bootstrap (repeatable)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      "--runtime <name>",
      "Lambda's runtime of every function, e.g. python3.12 (default: each handler's file says)",
    )
    .option(
      "--python <interpreter>",
      "the Python for Python functions (default: .venv, else python3)",
    )
    .option(
      "--env <KEY=VALUE>",
      "a variable of every function's environment (repeatable)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      "--env-vars <file>",
      "the functions' environment: a dotenv file, or SAM CLI's --env-vars JSON (sections by function name)",
    )
    .addOption(new Option("--env-file <file>").hideHelp())
    .option(
      "--pass-aws-credentials",
      "give the sandboxes your AWS credentials (the SDK's default chain), as Lambda gives the role's",
    )
    .option("--port <port>", "port on 127.0.0.1 (default 0: a free one, printed)")
    .option("--memory <MB>", "initial memory size of every function, 128..10240 (default 128)")
    .option("--timeout <seconds>", "initial timeout of every function, 1..900 (default 3)")
    .option("--update-delay <ms>", "how long a configuration update stays InProgress (default 200)")
    .option("--concurrency <N>", "sandboxes per function version at once (default 4)")
    .option(
      "--region <region>",
      "region in ARNs and the functions' environment (default us-east-1)",
    )
    .option(
      "--isolation <kind>",
      "auto (default), cgroup-v2, cgroup-v1, user-space-throttle or none",
    )
    .option(
      "--access-key-id <id>",
      "requests must be signed with this key pair (default: AWS_ACCESS_KEY_ID, else generated and printed)",
    )
    .option("--secret-access-key <key>", "the key pair's secret (default: AWS_SECRET_ACCESS_KEY)")
    .option("--no-auth", "take unsigned requests from any local process (not recommended)")
    .option(
      "--allow-env <NAME>",
      "let UpdateFunctionConfiguration set this code-loading variable, e.g. NODE_OPTIONS (repeatable)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action(async (options: Record<string, unknown>) => {
      const { emulateCommand } = await import("../emulate-command.js");
      setExitCode(await emulateCommand(options, io));
    });
};
