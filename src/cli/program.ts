import { Command, CommanderError, Option } from "commander";
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
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  program
    .command("run")
    .description("sweep a function across memory sizes and recommend memory and timeout")
    .argument(
      "<function>",
      "a local handler (path/to/file.export) or, with --target replay, a name for the recording",
    )
    .addOption(
      new Option(
        "--target <target>",
        "where to run: local (default for a handler path), aws or replay",
      ),
    )
    .option("--memory <sizes>", "sizes in MB: a list (128,256,512) or a range (128-3008:64)")
    .option("-n, --invocations <N>", "invocations per size: a fixed grid (default 10)")
    .option(
      "--budget <N>",
      "total invocations for the adaptive planner, which chooses sizes and calls (default 20 when neither --memory nor -n is given)",
    )
    .option("--payload <json>", "event passed to every invocation (JSON, default {})")
    .option("--payload-file <file>", "read the event from a file")
    .option("--concurrency <N>", "invocations in flight at once (default 1)")
    .option("--strategy <name>", "cost (default), speed or balanced")
    .option(
      "--balanced-tolerance <percent>",
      "balanced: cost tolerance over the cheapest (default 10%)",
    )
    .option("--max-p95 <ms>", "exclude sizes whose p95 duration exceeds this")
    .option(
      "--region <region>",
      "AWS region (aws: the function's, default AWS_REGION or the profile's); also for pricing",
    )
    .option("--profile <name>", "aws: named profile in ~/.aws/config for credentials and region")
    .option(
      "--endpoint-url <url>",
      "aws: send Lambda and CloudWatch Logs calls here (e.g. `lambda-tune emulate`)",
    )
    .option("--dry-run", "aws: print the API calls and the cost estimate; change nothing")
    .option("--max-cost <usd>", "aws: refuse a sweep whose worst-case cost is above this (exit 3)")
    .option(
      "--apply",
      "aws: set the recommended memory and timeout on the function instead of restoring it",
    )
    .option(
      "--apply-alias <name>",
      "aws: publish a version with the recommendation and point this alias at it",
    )
    .option("--architecture <arch>", "x86_64 or arm64, for pricing (default: the function's)")
    .option("--price-per-gb-second <usd>", "override the price per GB-second")
    .option("--price-per-request <usd>", "override the price per request")
    .option("--replay-file <file>", "replay: recorded REPORT lines (text or JSON) to draw from")
    .option("--seed <N>", "seed for anything random (default 1)")
    .option("--timeout <seconds>", "local: the function timeout, 1..900 (default 30)")
    .option("--cold", "local: give every invocation a new sandbox (all cold starts)")
    .option(
      "--no-bill-init",
      "local: do not bill the INIT phase (Lambda's rule before August 2025)",
    )
    .option(
      "--isolation <kind>",
      "local: auto (default), cgroup-v2, cgroup-v1, user-space-throttle or none",
    )
    .option(
      "--baseline <file>",
      "compare with an earlier result (--out or --json) and show what changed",
    )
    .option(
      "--fail-on-regression <threshold>",
      "with --baseline: exit 3 on a regression of more than this beyond noise (10% or 0.1)",
    )
    .option("--force", "with --baseline: compare even when it is for another function")
    .option("--json", "print only the result document (JSON) on stdout")
    .option("--output <format>", "table (default), json, markdown or html")
    .option("--out <file>", "also write the result document to this file (atomically)")
    .option("-q, --quiet", "no progress on stderr")
    .action(async (fn: string, options: Record<string, unknown>) => {
      const { runCommand } = await import("./run-command.js");
      exitCode = await runCommand(fn, options, io);
    });

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
    .option("--force", "compare results of different functions")
    .option("--output <format>", "table (default), markdown or json")
    .action(async (baseline: string, current: string, options: Record<string, unknown>) => {
      const { compareCommand } = await import("./compare-command.js");
      exitCode = await compareCommand([baseline, current], options, io);
    });

  program
    .command("report")
    .description(
      "render a saved result (from run --json or --out) as a table, markdown, html or json",
    )
    .argument("<file>", "a result document written by lambda-tune run")
    .option("--output <format>", "table (default), markdown, html or json")
    .option("--out <file>", "write the rendering to this file instead of stdout")
    .action(async (file: string, options: { output?: string; out?: string }) => {
      const { reportCommand } = await import("./report-command.js");
      exitCode = await reportCommand(file, options, io);
    });

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
      const { restoreCommand } = await import("./restore-command.js");
      exitCode = await restoreCommand(fn, options, io);
    });

  program
    .command("analyze")
    .description(
      "judge a function from the REPORT records it already wrote (log files, stdin or CloudWatch Logs), without invoking it",
    )
    .argument(
      "[function]",
      "the function whose log group /aws/lambda/NAME to read; `-` for stdin; with --log-file, only a name for the report",
    )
    .option(
      "--log-file <file>",
      "read this log file (text or JSON log format); repeat for more",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option(
      "--since <when>",
      "CloudWatch: from this time: 30m, 6h, 7d, 2w back, or an ISO date (default 24h)",
    )
    .option("--until <when>", "CloudWatch: to this time, same forms (default now)")
    .option(
      "--method <method>",
      "CloudWatch: auto (default: Logs Insights for windows over a day), filter (FilterLogEvents) or insights",
    )
    .option("--window <span>", "files: how long the logs span (e.g. 7d), for the monthly cost")
    .option(
      "--region <region>",
      "AWS region of the log group (default AWS_REGION or the profile's); also for pricing",
    )
    .option("--profile <name>", "named profile in ~/.aws/config")
    .option(
      "--endpoint-url <url>",
      "send the CloudWatch Logs calls here (e.g. `lambda-tune emulate`)",
    )
    .option("--architecture <arch>", "x86_64 (default) or arm64, for pricing")
    .option("--price-per-gb-second <usd>", "override the price per GB-second")
    .option("--price-per-request <usd>", "override the price per request")
    .option(
      "--sample-per-size <N>",
      "records sampled per size for the curve across sizes (default 10000)",
    )
    .option("--seed <N>", "seed of that sample (default 1)")
    .option("--json", "print only the analysis document (JSON) on stdout")
    .option("--output <format>", "table (default), json or markdown")
    .option("--out <file>", "also write the analysis document (JSON) to this file")
    .action(async (fn: string | undefined, options: Record<string, unknown>) => {
      const { analyzeCommand } = await import("./analyze-command.js");
      exitCode = await analyzeCommand(fn, options, io);
    });

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
    .action(async (options: Record<string, unknown>) => {
      const { emulateCommand } = await import("./emulate-command.js");
      exitCode = await emulateCommand(options, io);
    });

  program
    .command("parse")
    .description("print the REPORT records in log files (stdin when none) as NDJSON")
    .argument("[files...]", "log files: Lambda text or JSON log format, any mix")
    .action(async (files: string[]) => {
      const { parseCommand } = await import("./parse-command.js");
      exitCode = await parseCommand(files, io);
    });

  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return 0;
    return reportFailure(error, io);
  }
}
