import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runInProcess } from "./in-process.js";

const scratch = mkdtempSync(join(tmpdir(), "lambda-tune-bad-input-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
const aFile = join(scratch, "a-file");
writeFileSync(aFile, "not a directory\n");

/** A refusal as a user should see it: exit 2, the problem, and a line naming the fix. */
async function refused(argv: readonly string[], problem: RegExp, env: Record<string, string> = {}) {
  const run = await runInProcess(argv, { env });
  assert.equal(run.code, 2, `exit ${run.code} for ${argv.join(" ")}:\n${run.stderr}`);
  assert.match(run.stderr, problem);
  assert.match(run.stderr, /^lambda-tune: .+\n {2}\S/m, "a hint on its own line");
  assert.doesNotMatch(run.stderr, /unexpected failure|\n\s+at /, "no stack trace");
  assert.equal(run.stdout, "");
}

const AWS = {
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  HOME: scratch,
};

const root = process.getuid?.() === 0;
// Root may write anywhere a mode allows nothing, so it gets a directory the kernel refuses.
const unwritable = root ? "/proc/1" : join(scratch, "read-only");
if (!root) {
  mkdirSync(unwritable);
  chmodSync(unwritable, 0o555);
}
const bigPayload = join(scratch, "big.json");
writeFileSync(bigPayload, JSON.stringify({ data: "x".repeat(7 * 1024 * 1024) }));

describe("bad input is refused with exit 2, the problem and the fix named", () => {
  it("an --out that cannot be written, before any invocation (run, analyze, report)", async () => {
    // The endpoint is unreachable: a refusal naming --out shows it came before any call.
    const run = ["run", "my-fn", "--endpoint-url", "http://127.0.0.1:9", "--out"];
    for (const [out, problem] of [
      [join(scratch, "missing", "r.json"), /the directory .* does not exist/],
      [scratch, /it is a directory/],
      [join(unwritable, "r.json"), /is not writable/],
    ] as const) {
      await refused([...run, out], problem, AWS);
      await refused(
        ["analyze", "--log-file", "fixtures/reports/variants.log", "--out", out],
        problem,
      );
      await refused(["report", "fixtures/none.json", "--out", out], problem);
    }
  });

  it("a fixed grid of more than 300 invocations without --yes, saying how to narrow it", async () => {
    const handler = "fixtures/functions/noop/index.handler";
    await refused(
      ["run", handler, "--memory", "128-3008:64", "-n", "10"],
      /--memory and -n ask for 460 invocations \(46 sizes × 10\)/,
    );
    const run = await runInProcess(["run", handler, "--memory", "128-10240:1", "-n", "1"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /10113 invocations/);
    assert.match(run.stderr, /drop -n; --budget N\); pass --yes/);
  });

  it("a payload over Lambda's 6 MB, before any invocation", async () => {
    await refused(
      [
        "run",
        "fixtures/functions/noop/index.handler",
        "--payload-file",
        bigPayload,
        "--memory",
        "128",
      ],
      /Lambda accepts at most 6 MB/,
    );
  });

  const HANDLER = "fixtures/functions/noop/index.handler";
  const REPLAY = ["f5", "--replay-file", "fixtures/recordings/pacslab-f5.log"];

  it("another target's flag, naming both targets", async () => {
    for (const flag of [
      ["--dry-run"],
      ["--apply"],
      ["--endpoint-url", "http://127.0.0.1:1"],
      ["--profile", "dev"],
      ["--max-cost", "1"],
    ]) {
      await refused(
        ["run", HANDLER, ...flag],
        new RegExp(`${flag[0]} applies to the aws target, not the local target`),
      );
    }
    for (const flag of [["--cold"], ["--isolation", "none"]]) {
      await refused(
        ["run", "my-fn", ...flag],
        new RegExp(`${flag[0]} applies to the local target, not the aws target`),
        AWS,
      );
      await refused(
        ["run", ...REPLAY, ...flag],
        new RegExp(`${flag[0]} applies to the local target, not the replay target`),
      );
    }
    await refused(
      ["run", ...REPLAY, "--endpoint-url", "http://127.0.0.1:1"],
      /applies to the aws target, not the replay target/,
    );
  });

  it("a generic flag the replay target has no use for, saying why", async () => {
    await refused(
      ["run", ...REPLAY, "--timeout", "3"],
      /--timeout does not apply to the replay target/,
    );
    await refused(["run", ...REPLAY, "--concurrency", "2"], /--concurrency does not apply/);
    await refused(["run", ...REPLAY, "--payload-file", "x.json"], /--payload-file does not apply/);
  });

  it("--env-file is not a flag of ours: Node.js would read it too, so the file flag is --env-vars", async () => {
    // In-process here: run as a process, Node.js 20 would take --env-file itself (nodejs/node#54232).
    for (const argv of [
      ["run", HANDLER, "--env-file", "x.env"],
      ["emulate", "--function", `f=${HANDLER}`, "--env-file", "x.env"],
    ]) {
      const run = await runInProcess(argv);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /--env-file is Node\.js's own flag, not lambda-tune's/);
      assert.match(run.stderr, /--env-vars FILE/);
    }
  });

  it("--pause negative, not a number, or above 900,000 ms", async () => {
    await refused(
      ["run", ...REPLAY, "--pause", "-5"],
      /--pause must be milliseconds from 0 to 900000: "-5" is negative/,
    );
    await refused(["run", ...REPLAY, "--pause", "soon"], /is not a number of milliseconds/);
    await refused(["run", ...REPLAY, "--pause", "900001"], /is longer than 15 minutes/);
  });

  it("a flag without the one it modifies", async () => {
    await refused(
      ["run", ...REPLAY, "--balanced-tolerance", "5%"],
      /--balanced-tolerance applies only to --strategy balanced/,
    );
    await refused(
      ["run", ...REPLAY, "--force"],
      /--force applies only to a comparison with --baseline/,
    );
    await refused(
      ["compare", "a.json", "b.json", "--allow-inconclusive"],
      /--allow-inconclusive applies only to a gate/,
    );
    // --yes only lets a large fixed grid run; the planner has a budget instead.
    await refused(
      ["run", ...REPLAY, "--yes"],
      /--yes lets a fixed grid .* the planner spends a budget/,
    );
    // --verbose only changes the table; the JSON always holds every detail.
    for (const output of [["--json"], ["--output", "json"], ["--output", "markdown"]]) {
      await refused(
        ["run", ...REPLAY, "--verbose", ...output],
        /--verbose adds detail to the table output only/,
      );
    }
    await refused(
      ["report", "nope.json", "--verbose", "--output", "html"],
      /--verbose adds detail to the table output only/,
    );
    // emulate refuses only code-loading variables: allowing another would allow nothing.
    await refused(
      ["emulate", "--function", `f=${HANDLER}`, "--allow-env", "STAGE"],
      /--allow-env STAGE: the emulator does not refuse STAGE, so there is nothing to allow/,
    );
  });

  it("analyze: a CloudWatch flag with log files", async () => {
    const files = ["analyze", "--log-file", "fixtures/reports/variants.log"];
    await refused(
      [...files, "--method", "filter"],
      /--method applies only to reading CloudWatch Logs/,
    );
    await refused(
      [...files, "--profile", "dev"],
      /--profile applies only to reading CloudWatch Logs/,
    );
    await refused(
      [...files, "--endpoint-url", "http://127.0.0.1:1"],
      /--endpoint-url applies only/,
    );
  });

  it("options commander refuses start as the tool's own errors do", async () => {
    for (const argv of [
      ["run", "x", "--no-such-flag"],
      ["compare", "a.json"],
      ["parse", "--nope"],
    ]) {
      const run = await runInProcess(argv);
      assert.equal(run.code, 2, argv.join(" "));
      assert.match(run.stderr, /^lambda-tune: /);
      assert.doesNotMatch(run.stderr, /^error:/m);
    }
  });

  it("LAMBDA_TUNE_STATE_DIR that is a file, for run and restore", async () => {
    const env = { ...AWS, LAMBDA_TUNE_STATE_DIR: aFile };
    await refused(
      ["run", "my-fn", "--endpoint-url", "http://127.0.0.1:9"],
      /is not a directory/,
      env,
    );
    await refused(["restore", "my-fn"], /is not a directory/, env);
  });

  it("--endpoint-url that is not a URL, for run, restore and analyze", async () => {
    const url = /--endpoint-url 'not-a-url' is not an http or https URL/;
    await refused(["run", "my-fn", "--endpoint-url", "not-a-url"], url, AWS);
    await refused(["analyze", "my-fn", "--endpoint-url", "not-a-url"], url, AWS);
  });

  it("--profile and AWS_PROFILE that name no profile", async () => {
    const missing = /the config profile \(nosuch\) could not be found/;
    await refused(
      ["run", "my-fn", "--profile", "nosuch", "--endpoint-url", "http://127.0.0.1:9"],
      missing,
      AWS,
    );
    await refused(["analyze", "my-fn", "--profile", "nosuch"], missing, AWS);
    await refused(["run", "my-fn", "--endpoint-url", "http://127.0.0.1:9"], missing, {
      ...AWS,
      AWS_PROFILE: "nosuch",
    });
  });
});
