import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { ResultDocument } from "../../src/document/result.js";
import { assertValidResult } from "../document/validate.js";
import { runCli } from "./run-cli.js";

const F4 = "fixtures/recordings/pacslab-f4.log"; // S3 download/upload: I/O-bound
const F5 = "fixtures/recordings/pacslab-f5.log"; // PBKDF2: CPU-bound, single-threaded
const ALL_SIZES = "128-3008:64";

function replay(file: string, ...args: string[]): string[] {
  return ["run", "f", "--target", "replay", "--replay-file", file, ...args];
}

async function runJson(...args: string[]): Promise<ResultDocument> {
  const run = await runCli(args);
  assert.equal(run.code, 0, run.stderr);
  const doc: unknown = JSON.parse(run.stdout);
  assertValidResult(doc);
  return doc as ResultDocument;
}

describe("run --target replay", () => {
  it("prints only a valid result document with --json, and the same with --output json", async () => {
    const doc = await runJson(...replay(F5, "--json", "--seed", "7", "-n", "10"));
    assert.equal(doc.target, "replay");
    assert.deepEqual(
      doc.tiers.map((t) => t.memoryMb),
      [128, 256, 512, 1024, 1536],
    );
    assert.ok(doc.tiers.every((t) => t.invocations === 10));
    assert.equal(doc.tuningCost.invocations, 50);
    const again = await runJson(...replay(F5, "--output", "json", "--seed", "7", "-n", "10"));
    assert.deepEqual({ ...again, generatedAt: "" }, { ...doc, generatedAt: "" });
  });

  it("plans adaptively within a --memory range, and a grid over it with -n", async () => {
    const bounded = await runJson(...replay(F5, "--json", "--memory", "512-1536:64"));
    assert.equal(bounded.plan.budget, 20);
    assert.ok(bounded.tiers.every((t) => t.memoryMb >= 512 && t.memoryMb <= 1536));
    const grid = await runJson(...replay(F5, "--json", "--memory", "512-1536:512", "-n", "3"));
    assert.equal(grid.plan.budget, null);
    assert.deepEqual(grid.plan.sizes, [512, 1024, 1536]);
    assert.equal(grid.plan.invocationsPerSize, 3);
  });

  it("plans adaptively under a budget of 20 by default, and measures what it recommends", async () => {
    const doc = await runJson(...replay(F5, "--json"));
    assert.equal(doc.plan.budget, 20);
    assert.ok(doc.tuningCost.invocations <= 20);
    const measured = doc.tiers.map((t) => t.memoryMb);
    assert.deepEqual(doc.plan.sizes, measured);
    assert.ok(doc.recommendation && measured.includes(doc.recommendation.memoryMb));
  });

  it("recommends the smallest size for an I/O-bound function", async () => {
    const doc = await runJson(...replay(F4, "--json", "-n", "10"));
    assert.equal(doc.recommendation?.memoryMb, 128);
    // Over all 46 sizes the cheapest is 128 MB; 192 MB is 4% dearer, within 10 calls' noise
    // and 1.5x faster, so the tie rule may take it: nothing larger is within 5%.
    const all = await runJson(...replay(F4, "--json", "--memory", ALL_SIZES, "-n", "10"));
    assert.ok((all.recommendation?.memoryMb ?? 0) <= 192, `${all.recommendation?.memoryMb} MB`);
  });

  it("recommends at most ~1,769 MB, never 3,008, for a single-threaded CPU-bound function", async () => {
    for (const seed of ["1", "2", "3"]) {
      const doc = await runJson(
        ...replay(F5, "--json", "--memory", ALL_SIZES, "-n", "10", "--seed", seed),
      );
      const memory = doc.recommendation?.memoryMb;
      assert.ok(memory !== undefined && memory <= 1792, `seed ${seed}: ${memory} MB`);
    }
  });

  it("prints the table, both charts and the recommendation for people", async () => {
    const run = await runCli(replay(F5));
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /replay target/);
    assert.match(run.stdout, /median duration \(ms\) by memory \(MB\)/);
    assert.match(run.stdout, /cost per 1M invocations \(USD\) by memory \(MB\)/);
    assert.match(run.stdout, /Recommended: \d+ MB, timeout \d+ s/);
    assert.ok(!run.stdout.includes("\x1b["), "NO_COLOR is respected");
    assert.equal(run.stderr, "", "no progress when stderr is not a terminal");
  });

  describe("--out", () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), "lambda-tune-out-"));
    });
    after(() => rm(dir, { recursive: true, force: true }));

    it("writes the result document to a file as well", async () => {
      const out = join(dir, "result.json");
      const run = await runCli(replay(F5, "--out", out));
      assert.equal(run.code, 0, run.stderr);
      const doc: unknown = JSON.parse(await readFile(out, "utf8"));
      assertValidResult(doc);
    });

    it("fails with exit 2 when the directory does not exist", async () => {
      const run = await runCli(replay(F5, "--out", join(dir, "missing", "result.json")));
      assert.equal(run.code, 2);
      assert.match(run.stderr, /cannot write .*result\.json/);
    });
  });
});

describe("run --baseline", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lambda-tune-baseline-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("compares with an earlier result and passes the gate on the same recording", async () => {
    const base = join(dir, "base.json");
    assert.equal((await runCli(replay(F5, "-n", "10", "--out", base))).code, 0);
    const run = await runCli(
      replay(F5, "-n", "10", "--seed", "9", "--baseline", base, "--fail-on-regression", "10%"),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /gate --fail-on-regression 10% .*: passed/);
    const json = await runCli(replay(F5, "-n", "10", "--json", "--baseline", base));
    assert.equal(json.code, 0, json.stderr);
    assertValidResult(JSON.parse(json.stdout));
    assert.match(json.stderr, /this run against the baseline/);
  });

  it("measures the gated size enough to compare under the adaptive planner", async () => {
    // Issue 11: "1152 MB was not measured in both runs ... passed"; with a planner the
    // gated size (here the baseline's recommendation, 1,600 MB) was often never measured.
    const base = join(dir, "gated.json");
    assert.equal((await runCli(replay(F5, "--memory", "1600", "-n", "10", "--out", base))).code, 0);
    const run = await runCli(
      replay(F5, "--json", "--baseline", base, "--fail-on-regression", "10%"),
    );
    assert.equal(run.code, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as ResultDocument;
    assert.equal(doc.plan.budget, 20);
    const tier = doc.tiers.find((t) => t.memoryMb === 1600);
    assert.ok(tier !== undefined && tier.durationMs.count >= 3, JSON.stringify(tier?.durationMs));
    assert.match(
      run.stderr,
      /gate --fail-on-regression 10% at 1600 MB \(baseline recommendation\): passed/,
    );
  });

  it("refuses a gate on a size the run cannot measure, or a budget too small for it", async () => {
    const base = join(dir, "gated-refused.json");
    assert.equal((await runCli(replay(F5, "--memory", "1600", "-n", "10", "--out", base))).code, 0);
    const gate = ["--baseline", base, "--fail-on-regression", "10%"];
    for (const [args, pattern] of [
      [
        ["--memory", "128-1024:64"],
        /the regression gate checks 1600 MB \(the baseline recommendation\), but --memory leaves it out[\s\S]*--allow-inconclusive/,
      ],
      [["--memory", "128,256", "-n", "10"], /checks 1600 MB .*--memory leaves it out/],
      [
        ["--budget", "6"],
        /--budget 6 cannot both probe and compare the gated size 1600 MB[\s\S]*give --budget \d+ or more/,
      ],
    ] as const) {
      const run = await runCli(replay(F5, ...args, ...gate));
      assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, pattern);
    }
    const unrecorded = join(dir, "unrecorded.json");
    const doc = JSON.parse(await readFile(base, "utf8")) as ResultDocument;
    await writeFile(
      unrecorded,
      JSON.stringify({ ...doc, recommendation: { ...doc.recommendation, memoryMb: 1000 } }),
    );
    const run = await runCli(replay(F5, "--baseline", unrecorded, "--fail-on-regression", "10%"));
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /checks 1000 MB .*the recording holds no calls there/);
    // --allow-inconclusive: the run goes ahead and the gate says it compared nothing.
    const allowed = await runCli(
      replay(F5, "--memory", "128-1024:64", ...gate, "--allow-inconclusive"),
    );
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stdout, /passed as\s+inconclusive/);
  });

  it("refuses a baseline of another function before the sweep, unless forced", async () => {
    const base = join(dir, "other.json");
    const first = await runCli(["run", "other", "--replay-file", F5, "-n", "10", "--out", base]);
    assert.equal(first.code, 0, first.stderr);
    const refused = await runCli(replay(F5, "-n", "10", "--baseline", base));
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /is a result for other, not f[\s\S]*--force/);
    const forced = await runCli(replay(F5, "-n", "10", "--baseline", base, "--force"));
    assert.equal(forced.code, 0, forced.stderr);
  });

  it("refuses --fail-on-regression without a baseline, and a baseline that is not a result", async () => {
    const run = await runCli(replay(F5, "--fail-on-regression", "10%"));
    assert.equal(run.code, 2);
    assert.match(run.stderr, /needs a baseline/);
    const notResult = join(dir, "not.json");
    await writeFile(notResult, '{"hello": 1}');
    const bad = await runCli(replay(F5, "--baseline", notResult));
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not a lambda-tune result/);
  });
});

describe("run: bad input", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lambda-tune-bad-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const usage = async (args: string[], pattern: RegExp): Promise<void> => {
    const run = await runCli(args);
    assert.equal(run.code, 2, `exit code, stderr: ${run.stderr}`);
    assert.match(run.stderr, pattern);
    assert.equal(run.stdout, "");
    assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
  };

  it("a missing replay file", () => usage(replay("no/such/file.log"), /no\/such\/file\.log/));

  it("--tie-tolerance negative or above 50%", async () => {
    await usage(replay(F5, "--tie-tolerance", "-1%"), /--tie-tolerance cannot be negative/);
    await usage(replay(F5, "--tie-tolerance", "51%"), /--tie-tolerance 51% is above 50%/);
    await usage(replay(F5, "--tie-tolerance", "0.6"), /--tie-tolerance 0\.6 is above 50%/);
  });

  it("--cold-start-rate outside 0..100%", async () => {
    await usage(replay(F5, "--cold-start-rate", "-2%"), /--cold-start-rate cannot be negative/);
    await usage(replay(F5, "--cold-start-rate", "120%"), /--cold-start-rate 120% is above 100%/);
    await usage(replay(F5, "--cold-start-rate", "5"), /ambiguous: 5% or 500%/);
  });

  it("reads --balanced-tolerance 0.1 as 10%, as every share flag does", async () => {
    const args = ["--json", "--strategy", "balanced", "--memory", "128,512,1024", "-n", "5"];
    const fraction = await runJson(...replay(F5, ...args, "--balanced-tolerance", "0.1"));
    const percent = await runJson(...replay(F5, ...args, "--balanced-tolerance", "10%"));
    assert.equal(fraction.recommendation?.reason, percent.recommendation?.reason);
    assert.match(fraction.recommendation?.reason ?? "", /within 10% of the cheapest/);
  });

  it("a file with no REPORT records", async () => {
    const empty = join(dir, "empty.log");
    await writeFile(empty, "START RequestId: x Version: $LATEST\nhello\n");
    await usage(replay(empty), /no REPORT records/);
  });

  it("malformed REPORT lines among good ones: the good are used, the bad reported", async () => {
    const mixed = join(dir, "mixed.log");
    const good = await readFile("fixtures/recordings/pacslab-f5.log", "utf8");
    const lines = good.split("\n").filter((l) => l.includes("Memory Size: 128 MB"));
    await writeFile(
      mixed,
      [
        ...lines.slice(0, 20),
        "REPORT RequestId: broken\tDuration: abc ms",
        ...lines.slice(20),
      ].join("\n"),
    );
    const run = await runCli(replay(mixed, "--memory", "128", "--json"));
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /mixed\.log.*line 21|line 21.*mixed\.log/);
    assertValidResult(JSON.parse(run.stdout));
  });

  it("a payload, which the replay target has no use for (a bad one is refused on local)", () =>
    usage(replay(F5, "--payload", "{nope"), /--payload does not apply to the replay target/));

  it("memory sizes outside 128..10240", () =>
    usage(replay(F5, "--memory", "64,128"), /64.*128.*10,?240|128.*10,?240/));
  it("memory sizes that are not integers", () => usage(replay(F5, "--memory", "128.5"), /128\.5/));
  it("an empty memory list", () => usage(replay(F5, "--memory", ""), /memory/));
  it("a range with a zero step", () => usage(replay(F5, "--memory", "128-512:0"), /step/));
  it("a range with a negative step", () => usage(replay(F5, "--memory", "128-512:-64"), /step/));
  it("sizes the recording lacks name the sizes it has", () =>
    usage(replay(F5, "--memory", "100000"), /10,?240/).then(() =>
      usage(replay(F5, "--memory", "200"), /128-3008 MB in steps of 64/),
    ));
  it("-n that is not a positive integer", async () => {
    await usage(replay(F5, "-n", "0"), /--invocations/);
    await usage(replay(F5, "-n", "ten"), /--invocations/);
  });
  it("an unknown strategy lists the known ones", () =>
    usage(replay(F5, "--strategy", "cheap"), /cost, speed, balanced/));
  it("an unknown architecture lists the known ones", () =>
    usage(replay(F5, "--architecture", "sparc"), /x86_64.*arm64/));
  it("an unknown region lists the known ones", () =>
    usage(replay(F5, "--region", "mars-1"), /us-east-1/));

  it("--max-p95 that no size meets exits 3 naming the closest size", async () => {
    const run = await runCli(replay(F5, "--max-p95", "5", "-n", "10"));
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /1536 MB/);
  });

  it("--budget below one probe round names the minimum", () =>
    usage(replay(F5, "--budget", "3"), /--budget 3 is below the 5 invocations/));

  it("--budget together with -n is refused, saying which to drop", () =>
    usage(replay(F5, "--budget", "20", "-n", "5"), /cannot be used together[\s\S]*drop -n/));

  it("a budget larger than the recording holds uses what exists, and says so", async () => {
    const small = join(dir, "small.log");
    const lines = (await readFile(F5, "utf8")).split("\n");
    const kept = [128, 256, 512, 1024, 1792].flatMap((size) =>
      lines.filter((l) => l.includes(`Memory Size: ${size} MB`)).slice(0, 3),
    );
    await writeFile(small, `${kept.join("\n")}\n`);
    const run = await runCli(replay(small, "--budget", "40", "--json"));
    assert.equal(run.code, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as ResultDocument;
    assert.equal(doc.plan.budget, 15);
    assert.ok(doc.tuningCost.invocations <= 15);
    assert.match(run.stderr, /--budget 40 is more than the recording holds/);
  });

  it("a missing handler file", () =>
    usage(["run", "fixtures/functions/nope/index.handler"], /no handler file for/));

  it("a function name goes to the aws target, which says how to give a region", async () => {
    const home = await mkdtemp(join(tmpdir(), "lambda-tune-home-"));
    const run = await runCli(["run", "my-function"], {
      env: {
        HOME: home,
        AWS_REGION: "",
        AWS_DEFAULT_REGION: "",
        AWS_PROFILE: "",
        AWS_CONFIG_FILE: join(home, "config"),
        AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
      },
    });
    await rm(home, { recursive: true, force: true });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /no AWS region given[\s\S]*--region/);
    assert.doesNotMatch(run.stderr, /NodeVersionSupportWarning/);
  });
});
