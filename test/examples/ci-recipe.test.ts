// The CI recipe's steps run here for real against the emulator's Lambda API:
// everything but the credentials step of examples/github-actions/lambda-tune.yml.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CLI } from "../cli/run-cli.js";
import { ROOT, startEmulator, TEST_ENV } from "../targets/aws/aws-fixture.js";

const CPU = "fixtures/functions/cpu-bound/index.handler";

function recipe(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", [join(ROOT, "examples/ci-recipe.sh")], {
      cwd: env.WORKDIR,
      env: { ...process.env, ...TEST_ENV, NO_COLOR: "1", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("examples/ci-recipe.sh against the emulator", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let work: string;
  before(async () => {
    emulator = await startEmulator({
      functions: [{ name: "cpu", handler: CPU, memoryMb: 256, timeoutSeconds: 30 }],
    });
    work = await mkdtemp(join(tmpdir(), "lambda-tune-ci-"));
  });
  after(async () => {
    await emulator.close();
    await rm(work, { recursive: true, force: true });
  });

  it("creates the baseline, then compares with it and renders both reports", async () => {
    const env = {
      WORKDIR: work,
      FUNCTION: "cpu",
      LAMBDA_TUNE: `${process.execPath} ${CLI}`,
      LAMBDA_TUNE_ARGS: `--endpoint-url ${emulator.url} --memory 256,512 -n 4 --payload {"iterations":300}`,
      LAMBDA_TUNE_STATE_DIR: emulator.stateDir,
    };
    const first = await recipe(env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /no baseline at baseline\/result\.json/);
    assert.ok((await stat(join(work, "baseline/result.json"))).isFile());

    const second = await recipe(env);
    assert.ok(second.code === 0 || second.code === 3, second.stderr);
    const markdown = await readFile(join(work, "lambda-tune-out/report.md"), "utf8");
    assert.match(markdown, /256 MB|512 MB/);
    assert.match(markdown, /baseline/i, "the second run's summary says what changed");
    const html = await readFile(join(work, "lambda-tune-out/report.html"), "utf8");
    assert.match(html, /<svg/);
  });
});
