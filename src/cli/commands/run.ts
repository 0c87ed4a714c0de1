import { Option } from "commander";
import { targets } from "../../targets/registry.js";
import type { RegisterCommand } from "./command.js";

function targetChoices(): string {
  const kinds = targets.map((target) => `${target.kind} (${target.names})`);
  return `${kinds.slice(0, -1).join(", ")} or ${kinds.at(-1)}`;
}

export const registerRun: RegisterCommand = (program, { io, setExitCode }) => {
  const command = program
    .command("run")
    .description("sweep a function across memory sizes and recommend memory and timeout")
    .argument(
      "<function>",
      "a local handler (path/to/file.export), a deployed function's name or ARN, or with --target replay a name for the recording",
    )
    .addOption(
      new Option(
        "--target <target>",
        `where to run: ${targetChoices()}; by default the one <function> names`,
      ),
    )
    .option(
      "--memory <sizes>",
      "sizes in MB: a list (128,256,512) is a fixed grid; a range (128-3008:64) bounds the planner (with -n: a grid)",
    )
    .option(
      "-n, --invocations <N>",
      "invocations per size: a fixed grid (default 10 with a --memory list); not with --budget",
    )
    .option(
      "--budget <N>",
      "total invocations for the adaptive planner, which chooses sizes and calls (default 20 unless a --memory list or -n is given)",
    )
    .option("--payload <json>", "event passed to every invocation (JSON, default {})")
    .option(
      "--payload-file <file>",
      "read the event from a file: one JSON event, Power Tuning's [{payload, weight}] or NDJSON (equal weights)",
    )
    .option("--concurrency <N>", "invocations in flight at once (default 1)")
    .option(
      "--pause <ms>",
      "wait this long after each invocation ends before the next at a size starts (default 0)",
    )
    .option("--strategy <name>", "cost (default), speed or balanced")
    .option(
      "--tie-tolerance <share>",
      "sizes this much dearer than the cheapest cost the same; under cost the fastest of them wins (default 2%; 2% or 0.02, at most 50%)",
    )
    .option(
      "--balanced-tolerance <share>",
      "with --strategy balanced: the cost allowed over the cheapest (default 10%; 10% or 0.1)",
    )
    .option(
      "--cold-start-rate <share>",
      "production's share of cold starts, weighed into each size's cost: (1 - r) x warm + r x cold (1% or 0.01)",
    )
    .option(
      "--cold-starts-from <analysis.json>",
      "the cold-start rate measured by `lambda-tune analyze --json` on production logs",
    )
    .option(
      "--no-bill-init",
      "bill a cold call on Duration alone, not Init (Lambda's rule before August 2025); local: also in its REPORT lines",
    )
    .option("--max-p95 <ms>", "exclude sizes whose p95 duration exceeds this")
    .option(
      "--region <region>",
      "AWS region (aws: the function's, default AWS_REGION or the profile's); also for pricing",
    )
    .option("--architecture <arch>", "x86_64 or arm64, for pricing (default: the function's)")
    .option("--price-per-gb-second <usd>", "override the price per GB-second")
    .option("--price-per-request <usd>", "override the price per request")
    .option("--seed <N>", "seed for anything random (default 1)")
    .option(
      "--timeout <seconds>",
      "the function timeout during the sweep, 1..900 (local default 30; aws: the function's own)",
    );
  command.addOption(new Option("--env-file <file>").hideHelp());
  // Each target's own flags, named after it in --help.
  for (const target of targets) {
    for (const option of target.options) {
      const added = new Option(option.flags, `${target.kind}: ${option.description}`);
      if (option.repeatable === true) {
        added.argParser((value: string, previous: string[] = []) => [...previous, value]);
      }
      command.addOption(added);
    }
  }
  command
    .option(
      "--baseline <file>",
      "compare with an earlier result (--out or --json) and show what changed",
    )
    .option(
      "--fail-on-regression <threshold>",
      "with --baseline: exit 3 on a regression of more than this beyond noise (10% or 0.1)",
    )
    .option(
      "--allow-inconclusive",
      "with --fail-on-regression: pass when the gated size could not be compared (not measured in both, or too few calls)",
    )
    .option("--force", "with --baseline: compare even when it is for another function")
    .option("--json", "print only the result document (JSON) on stdout")
    .option("--output <format>", "table (default), json, markdown or html")
    .option("--out <file>", "also write the result document to this file (atomically)")
    .option("-y, --yes", "run a fixed grid of more than 300 invocations without asking")
    .option(
      "--verbose",
      "table output: the detail behind the recommendation (band, runner-up, timeout, model)",
    )
    .option(
      "-q, --quiet",
      "no progress and no copy of the warnings on stderr (they stay in the output)",
    )
    .action(async (fn: string, options: Record<string, unknown>) => {
      const { runCommand } = await import("../run-command.js");
      setExitCode(await runCommand(fn, options, io));
    });
};
