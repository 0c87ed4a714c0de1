// The bad-input sweep: every command fed inputs a user gets wrong, run as a
// user runs them (the built CLI, a process each), each outcome classed:
// good (the documented exit code, the problem named, a hint line with the fix,
// no stack, nothing on stdout), half (the right code, but no hint or output
// where there should be none), or bad (a wrong exit code, a stack trace, or a
// flag silently ignored). Not a test: test/cli/bad-input.test.ts holds the
// same cases as assertions; this prints the tally.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(ROOT, "bin/lambda-tune.js");

interface Case {
  name: string;
  argv: string[];
  env?: Record<string, string>;
  /** The documented exit code (default 2). */
  code?: number;
}

type Verdict = "good" | "half" | "bad";

function classify(
  run: { status: number | null; stdout: string; stderr: string },
  expected: number,
) {
  const stack = /\n\s+at |unexpected failure/.test(run.stderr);
  if (run.status !== expected || stack) return "bad" as Verdict;
  const lines = run.stderr.split("\n").filter((line) => line !== "");
  const named = lines.some((line) => line.startsWith("lambda-tune: "));
  const hint = lines.some((line) => /^ {2}\S/.test(line));
  if (!named || !hint || (expected === 2 && run.stdout !== "")) return "half" as Verdict;
  return "good" as Verdict;
}

export async function run(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), "lambda-tune-inputs-"));
  const file = (name: string, text: string) => {
    const path = join(scratch, name);
    writeFileSync(path, text);
    return path;
  };
  const aFile = file("a-file", "not a directory\n");
  const notJson = file("not.json", "{nope");
  const notResult = file("not-result.json", '{"hello": 1}');
  const newer = file("newer.json", '{"schemaVersion": 99}');
  const big = file("big.json", JSON.stringify({ data: "x".repeat(7 * 1024 * 1024) }));
  const root = process.getuid?.() === 0;
  const unwritable = root ? "/proc/1" : join(scratch, "read-only");
  if (!root) {
    mkdirSync(unwritable);
    chmodSync(unwritable, 0o555);
  }
  const handler = "fixtures/functions/noop/index.handler";
  const replay = ["f5", "--replay-file", "fixtures/recordings/pacslab-f5.log"];
  const python = "fixtures/functions/python/noop/lambda_function.lambda_handler";
  const zeroWeight = file("zero.json", '[{"payload":{},"weight":1},{"payload":{},"weight":0}]');
  const emptyList = file("empty.json", "[]");
  const noPayload = file("no-payload.json", '[{"weight":1}]');
  const badNdjson = file("bad.ndjson", '{"a":1}\n{oops\n');
  const threePayloads = file("three.ndjson", '{"a":1}\n{"a":2}\n{"a":3}\n');
  const badDotenv = file("bad.env", "STAGE dev\n");
  const notExecutable = file("bootstrap", "#!/bin/sh\necho hi\n");
  const badTs = file("broken.ts", "export const handler = async (: number => 1;\n");
  // A result whose recommendation, 1,600 MB, is what a gate would check.
  const baseline = join(scratch, "baseline.json");
  spawnSync(
    process.execPath,
    [CLI, "run", ...replay, "--memory", "1600", "-n", "10", "--out", baseline],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: scratch, NO_COLOR: "1" },
    },
  );
  const aws = {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    HOME: scratch,
  };
  const nowhere = ["--endpoint-url", "http://127.0.0.1:9"];
  const cases: Case[] = [
    // run: sizes, counts, budgets
    { name: "run --memory below 128", argv: ["run", ...replay, "--memory", "64"] },
    { name: "run --memory above 10240", argv: ["run", ...replay, "--memory", "20000"] },
    { name: "run --memory empty", argv: ["run", ...replay, "--memory", ""] },
    { name: "run --memory garbage", argv: ["run", ...replay, "--memory", "lots"] },
    { name: "run --memory fraction", argv: ["run", ...replay, "--memory", "128.5"] },
    { name: "run --memory range without step", argv: ["run", ...replay, "--memory", "128-512"] },
    { name: "run --memory zero step", argv: ["run", ...replay, "--memory", "128-512:0"] },
    { name: "run --memory reversed range", argv: ["run", ...replay, "--memory", "512-128:64"] },
    { name: "run --memory empty entry", argv: ["run", ...replay, "--memory", "128,,256"] },
    { name: "run -n 0", argv: ["run", ...replay, "-n", "0"] },
    { name: "run -n fraction", argv: ["run", ...replay, "-n", "2.5"] },
    { name: "run --budget 0", argv: ["run", ...replay, "--budget", "0"] },
    { name: "run --budget below a probe round", argv: ["run", ...replay, "--budget", "2"] },
    { name: "run --budget with -n", argv: ["run", ...replay, "--budget", "20", "-n", "5"] },
    {
      name: "run a grid of 460 calls on a handler",
      argv: ["run", handler, "--memory", "128-3008:64", "-n", "10"],
    },
    {
      name: "run a grid of 10,113 calls",
      argv: ["run", handler, "--memory", "128-10240:1", "-n", "1"],
    },
    // run: values
    { name: "run --concurrency 0", argv: ["run", handler, "--concurrency", "0"] },
    { name: "run --strategy unknown", argv: ["run", ...replay, "--strategy", "cheap"] },
    { name: "run --target unknown", argv: ["run", ...replay, "--target", "gcp"] },
    { name: "run --output unknown", argv: ["run", ...replay, "--output", "yaml"] },
    {
      name: "run --json with --output table",
      argv: ["run", ...replay, "--json", "--output", "table"],
    },
    { name: "run --seed negative", argv: ["run", ...replay, "--seed", "-1"] },
    { name: "run --max-p95 0", argv: ["run", ...replay, "--max-p95", "0"] },
    { name: "run --max-p95 text", argv: ["run", ...replay, "--max-p95", "fast"] },
    {
      name: "run --price-per-gb-second negative",
      argv: ["run", ...replay, "--price-per-gb-second", "-1"],
    },
    {
      name: "run --price-per-request text",
      argv: ["run", ...replay, "--price-per-request", "free"],
    },
    { name: "run --architecture unknown", argv: ["run", ...replay, "--architecture", "riscv"] },
    { name: "run --region unknown (pricing)", argv: ["run", ...replay, "--region", "mars-1"] },
    { name: "run --timeout 0", argv: ["run", handler, "--timeout", "0"] },
    { name: "run --timeout 901", argv: ["run", handler, "--timeout", "901"] },
    { name: "run --timeout text", argv: ["run", handler, "--timeout", "long"] },
    { name: "run --payload not JSON", argv: ["run", handler, "--payload", "{oops"] },
    { name: "run --payload-file missing", argv: ["run", handler, "--payload-file", "nope.json"] },
    { name: "run --payload-file not JSON", argv: ["run", handler, "--payload-file", notJson] },
    {
      name: "run --payload and --payload-file",
      argv: ["run", handler, "--payload", "{}", "--payload-file", notJson],
    },
    {
      name: "run payload over 6 MB",
      argv: ["run", handler, "--payload-file", big, "--memory", "128"],
    },
    {
      name: "run --balanced-tolerance 10 (ambiguous)",
      argv: ["run", ...replay, "--strategy", "balanced", "--balanced-tolerance", "10"],
    },
    {
      name: "run --balanced-tolerance negative",
      argv: ["run", ...replay, "--strategy", "balanced", "--balanced-tolerance", "-5%"],
    },
    // run: flags that do not apply
    {
      name: "run --balanced-tolerance without balanced",
      argv: ["run", ...replay, "--balanced-tolerance", "5%"],
    },
    { name: "run --force without --baseline", argv: ["run", ...replay, "--force"] },
    {
      name: "run --fail-on-regression without --baseline",
      argv: ["run", ...replay, "--fail-on-regression", "10%"],
    },
    {
      name: "run --allow-inconclusive without a gate",
      argv: ["run", ...replay, "--baseline", notResult, "--allow-inconclusive"],
    },
    { name: "run --dry-run on a handler", argv: ["run", handler, "--dry-run"] },
    { name: "run --apply on a handler", argv: ["run", handler, "--apply"] },
    { name: "run --endpoint-url on a handler", argv: ["run", handler, ...nowhere] },
    { name: "run --max-cost on a handler", argv: ["run", handler, "--max-cost", "1"] },
    { name: "run --profile on replay", argv: ["run", ...replay, "--profile", "dev"] },
    { name: "run --cold on aws", argv: ["run", "my-fn", "--cold", ...nowhere], env: aws },
    {
      name: "run --isolation on aws",
      argv: ["run", "my-fn", "--isolation", "none", ...nowhere],
      env: aws,
    },
    { name: "run --cold on replay", argv: ["run", ...replay, "--cold"] },
    { name: "run --timeout on replay", argv: ["run", ...replay, "--timeout", "3"] },
    { name: "run --payload on replay", argv: ["run", ...replay, "--payload", "{}"] },
    { name: "run --concurrency on replay", argv: ["run", ...replay, "--concurrency", "2"] },
    // run: files and places
    {
      name: "run --out in a missing directory",
      argv: ["run", ...replay, "--out", join(scratch, "no", "r.json")],
    },
    { name: "run --out a directory", argv: ["run", ...replay, "--out", scratch] },
    { name: "run --out unwritable", argv: ["run", ...replay, "--out", join(unwritable, "r.json")] },
    { name: "run --baseline missing", argv: ["run", ...replay, "--baseline", "nope.json"] },
    { name: "run --baseline not JSON", argv: ["run", ...replay, "--baseline", notJson] },
    { name: "run --baseline not a result", argv: ["run", ...replay, "--baseline", notResult] },
    { name: "run --baseline from a newer version", argv: ["run", ...replay, "--baseline", newer] },
    { name: "run --replay-file missing", argv: ["run", "f", "--replay-file", "nope.log"] },
    { name: "run --target replay without a file", argv: ["run", "f", "--target", "replay"] },
    {
      name: "run a handler file that is missing",
      argv: ["run", "fixtures/functions/nope/index.handler"],
    },
    {
      name: "run a handler export that is missing",
      argv: ["run", "fixtures/functions/noop/index.nothing"],
    },
    {
      name: "run a handler export that is not a function",
      argv: ["run", "fixtures/functions/noop/index.settings"],
    },
    { name: "run no function at all", argv: ["run"] },
    { name: "run an unknown flag", argv: ["run", handler, "--fast"] },
    // run on aws
    {
      name: "run aws --endpoint-url not a URL",
      argv: ["run", "my-fn", "--endpoint-url", "not-a-url"],
      env: aws,
    },
    {
      name: "run aws --profile nosuch",
      argv: ["run", "my-fn", "--profile", "nosuch", ...nowhere],
      env: aws,
    },
    {
      name: "run aws AWS_PROFILE nosuch",
      argv: ["run", "my-fn", ...nowhere],
      env: { ...aws, AWS_PROFILE: "nosuch" },
    },
    {
      name: "run aws no region",
      argv: ["run", "my-fn", ...nowhere],
      env: { HOME: scratch, AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y" },
    },
    { name: "run aws unreachable endpoint", argv: ["run", "my-fn", ...nowhere], env: aws },
    {
      name: "run aws state dir a file",
      argv: ["run", "my-fn", ...nowhere],
      env: { ...aws, LAMBDA_TUNE_STATE_DIR: aFile },
    },
    { name: "run aws a qualified name", argv: ["run", "my-fn:3", ...nowhere], env: aws },
    {
      name: "run aws an ARN in another region",
      argv: [
        "run",
        "arn:aws:lambda:eu-west-1:123456789012:function:f",
        "--region",
        "us-east-1",
        ...nowhere,
      ],
      env: aws,
    },
    {
      name: "run aws --apply with --apply-alias",
      argv: ["run", "my-fn", "--apply", "--apply-alias", "live", ...nowhere],
      env: aws,
    },
    {
      name: "run aws --max-cost 0",
      argv: ["run", "my-fn", "--max-cost", "0", ...nowhere],
      env: aws,
    },
    // compare and report
    { name: "compare one file", argv: ["compare", notResult] },
    { name: "compare missing files", argv: ["compare", "a.json", "b.json"] },
    { name: "compare not JSON", argv: ["compare", notJson, notJson] },
    { name: "compare not results", argv: ["compare", notResult, notResult] },
    {
      name: "compare --fail-on-regression text",
      argv: ["compare", notResult, notResult, "--fail-on-regression", "lots"],
    },
    {
      name: "compare --output unknown",
      argv: ["compare", notResult, notResult, "--output", "html"],
    },
    {
      name: "compare --allow-inconclusive without a gate",
      argv: ["compare", "a.json", "b.json", "--allow-inconclusive"],
    },
    { name: "report missing file", argv: ["report", "nope.json"] },
    { name: "report not a result", argv: ["report", notResult] },
    { name: "report newer schema", argv: ["report", newer] },
    { name: "report --output unknown", argv: ["report", notResult, "--output", "pdf"] },
    {
      name: "report --json with --output html",
      argv: ["report", notResult, "--json", "--output", "html"],
    },
    { name: "report --out a directory", argv: ["report", notResult, "--out", scratch] },
    // analyze
    { name: "analyze --log-file missing", argv: ["analyze", "--log-file", "nope.log"] },
    {
      name: "analyze --since unreadable",
      argv: ["analyze", "my-fn", "--since", "yesterday"],
      env: aws,
    },
    {
      name: "analyze --since with files",
      argv: ["analyze", "--log-file", "fixtures/reports/variants.log", "--since", "1d"],
    },
    {
      name: "analyze --window with CloudWatch",
      argv: ["analyze", "my-fn", "--window", "7d"],
      env: aws,
    },
    {
      name: "analyze --window unreadable",
      argv: ["analyze", "--log-file", "fixtures/reports/variants.log", "--window", "soon"],
    },
    { name: "analyze --method unknown", argv: ["analyze", "my-fn", "--method", "grep"], env: aws },
    {
      name: "analyze --method with files",
      argv: ["analyze", "--log-file", "fixtures/reports/variants.log", "--method", "filter"],
    },
    {
      name: "analyze --profile with files",
      argv: ["analyze", "--log-file", "fixtures/reports/variants.log", "--profile", "dev"],
    },
    {
      name: "analyze --sample-per-size 0",
      argv: ["analyze", "--log-file", "fixtures/reports/variants.log", "--sample-per-size", "0"],
    },
    {
      name: "analyze --output unknown",
      argv: ["analyze", "--log-file", "fixtures/reports/variants.log", "--output", "html"],
    },
    {
      name: "analyze --out unwritable",
      argv: [
        "analyze",
        "--log-file",
        "fixtures/reports/variants.log",
        "--out",
        join(unwritable, "a.json"),
      ],
    },
    {
      name: "analyze --endpoint-url not a URL",
      argv: ["analyze", "my-fn", "--endpoint-url", "x"],
      env: aws,
    },
    {
      name: "analyze a log group that does not exist",
      argv: ["analyze", "never-ran", ...nowhere],
      env: aws,
    },
    {
      name: "analyze --price-per-gb-second text",
      argv: [
        "analyze",
        "--log-file",
        "fixtures/reports/variants.log",
        "--price-per-gb-second",
        "cheap",
      ],
    },
    // restore, emulate, parse
    {
      name: "restore state dir a file",
      argv: ["restore", "my-fn"],
      env: { ...aws, LAMBDA_TUNE_STATE_DIR: aFile },
    },
    { name: "emulate without --function", argv: ["emulate"] },
    { name: "emulate --function without =", argv: ["emulate", "--function", handler] },
    { name: "emulate a bad function name", argv: ["emulate", "--function", `bad name=${handler}`] },
    {
      name: "emulate a missing handler",
      argv: ["emulate", "--function", "f=fixtures/functions/none/index.handler"],
    },
    {
      name: "emulate --port text",
      argv: ["emulate", "--function", `f=${handler}`, "--port", "http"],
    },
    {
      name: "emulate --memory 64",
      argv: ["emulate", "--function", `f=${handler}`, "--memory", "64"],
    },
    {
      name: "emulate --timeout 901",
      argv: ["emulate", "--function", `f=${handler}`, "--timeout", "901"],
    },
    {
      name: "emulate --isolation unknown",
      argv: ["emulate", "--function", `f=${handler}`, "--isolation", "vm"],
    },
    { name: "parse a missing file", argv: ["parse", "nope.log"] },
    { name: "an unknown command", argv: ["tune", "my-fn"] },
    // the band and production's cold starts (issue 14)
    { name: "run --tie-tolerance 60%", argv: ["run", ...replay, "--tie-tolerance", "60%"] },
    { name: "run --tie-tolerance text", argv: ["run", ...replay, "--tie-tolerance", "wide"] },
    { name: "run --tie-tolerance 2 (ambiguous)", argv: ["run", ...replay, "--tie-tolerance", "2"] },
    { name: "run --cold-start-rate 150%", argv: ["run", ...replay, "--cold-start-rate", "150%"] },
    {
      name: "run --cold-start-rate negative",
      argv: ["run", ...replay, "--cold-start-rate", "-1%"],
    },
    {
      name: "run --cold-start-rate and --cold-starts-from",
      argv: ["run", ...replay, "--cold-start-rate", "1%", "--cold-starts-from", notResult],
    },
    {
      name: "run --cold-starts-from missing",
      argv: ["run", ...replay, "--cold-starts-from", "nope.json"],
    },
    {
      name: "run --cold-starts-from not an analysis",
      argv: ["run", ...replay, "--cold-starts-from", notResult],
    },
    {
      name: "run --cold with --cold-start-rate",
      argv: ["run", handler, "--cold", "--cold-start-rate", "1%"],
    },
    // weighted payloads (issue 14)
    { name: "run --payload-file weight 0", argv: ["run", handler, "--payload-file", zeroWeight] },
    { name: "run --payload-file empty list", argv: ["run", handler, "--payload-file", emptyList] },
    {
      name: "run --payload-file entry without payload",
      argv: ["run", handler, "--payload-file", noPayload],
    },
    {
      name: "run --payload-file NDJSON bad line",
      argv: ["run", handler, "--payload-file", badNdjson],
    },
    {
      name: "run more payloads than -n allows",
      argv: ["run", handler, "--payload-file", threePayloads, "--memory", "128", "-n", "3"],
    },
    {
      name: "run more payloads than --budget allows",
      argv: ["run", handler, "--payload-file", threePayloads, "--budget", "6"],
    },
    // runtimes and the function's environment (issue 10)
    { name: "run --env without =", argv: ["run", handler, "--env", "STAGE"] },
    { name: "run --env reserved", argv: ["run", handler, "--env", "AWS_REGION=eu-west-1"] },
    { name: "run --env-vars missing", argv: ["run", handler, "--env-vars", "nope.env"] },
    { name: "run --env-vars malformed", argv: ["run", handler, "--env-vars", badDotenv] },
    { name: "run --env-file (Node.js's flag)", argv: ["run", handler, "--env-file", badDotenv] },
    { name: "run --runtime unknown", argv: ["run", handler, "--runtime", "python2.7"] },
    { name: "run --python missing", argv: ["run", python, "--python", "/nope/python3"] },
    { name: "run --python on a Node.js handler", argv: ["run", handler, "--python", "python3"] },
    { name: "run --env on aws", argv: ["run", "my-fn", "--env", "A=1", ...nowhere], env: aws },
    {
      name: "run --pass-aws-credentials on replay",
      argv: ["run", ...replay, "--pass-aws-credentials"],
    },
    { name: "run a bootstrap not executable", argv: ["run", notExecutable] },
    {
      name: "run a TypeScript syntax error",
      argv: ["run", `${badTs.replace(/\.ts$/, "")}.handler`],
    },
    // CPU throttling (issue 12)
    { name: "run --pause negative", argv: ["run", ...replay, "--pause", "-1"] },
    { name: "run --pause text", argv: ["run", ...replay, "--pause", "long"] },
    { name: "run --pause above 900,000", argv: ["run", ...replay, "--pause", "900001"] },
    // the emulator's guard (issue 13)
    {
      name: "emulate --no-auth with a key pair",
      argv: [
        "emulate",
        "--function",
        `f=${handler}`,
        "--no-auth",
        "--access-key-id",
        "AKIA1",
        "--secret-access-key",
        "s",
      ],
    },
    {
      name: "emulate --access-key-id alone",
      argv: ["emulate", "--function", `f=${handler}`, "--access-key-id", "AKIA1"],
    },
    {
      name: "emulate --allow-env a variable it does not refuse",
      argv: ["emulate", "--function", `f=${handler}`, "--allow-env", "STAGE"],
    },
    // the gate and the planner (issue 11)
    {
      name: "run a gate on a size --memory leaves out",
      argv: [
        "run",
        ...replay,
        "--memory",
        "128-1024:64",
        "--baseline",
        baseline,
        "--fail-on-regression",
        "10%",
      ],
    },
    {
      name: "run --budget too small for the gated size",
      argv: [
        "run",
        ...replay,
        "--budget",
        "6",
        "--baseline",
        baseline,
        "--fail-on-regression",
        "10%",
      ],
    },
    { name: "run --yes with the planner", argv: ["run", ...replay, "--yes"] },
    { name: "run --verbose with --json", argv: ["run", ...replay, "--verbose", "--json"] },
    {
      name: "report --verbose with --output html",
      argv: ["report", notResult, "--verbose", "--output", "html"],
    },
  ];
  const tally: Record<Verdict, string[]> = { good: [], half: [], bad: [] };
  for (const c of cases) {
    const result = spawnSync(process.execPath, [CLI, ...c.argv], {
      cwd: ROOT,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", HOME: scratch, NO_COLOR: "1", ...c.env },
      timeout: 120_000,
    });
    const verdict = classify(result, c.code ?? 2);
    tally[verdict].push(c.name);
    if (verdict !== "good") {
      const first = result.stderr.split("\n").slice(0, 3).join(" | ");
      console.log(`${verdict.padEnd(4)}  ${c.name}: exit ${result.status}: ${first}`);
    }
  }
  rmSync(scratch, { recursive: true, force: true });
  console.log(
    `${cases.length} bad inputs: ${tally.good.length} good, ${tally.half.length} half, ${tally.bad.length} bad`,
  );
}
