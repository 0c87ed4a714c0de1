import type { RegisterCommand } from "./command.js";

export const registerAnalyze: RegisterCommand = (program, { io, setExitCode }) => {
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
    .option("-q, --quiet", "no warnings on stderr (they stay in the document)")
    .action(async (fn: string | undefined, options: Record<string, unknown>) => {
      const { analyzeCommand } = await import("../analyze-command.js");
      setExitCode(await analyzeCommand(fn, options, io));
    });
};
