import type { RegisterCommand } from "./command.js";

export const registerEmulate: RegisterCommand = (program, { io, setExitCode }) => {
  program
    .command("emulate")
    .description(
      "serve local handlers through Lambda's and CloudWatch Logs' HTTP APIs on 127.0.0.1",
    )
    .option(
      "--function <NAME=handler>",
      "a function and its handler, path/to/file.export (repeatable)",
      (value: string, previous: string[] = []) => [...previous, value],
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
