import assert from "node:assert/strict";
import { PassThrough, Readable } from "node:stream";
import { describe, it } from "node:test";
import type { CliIo } from "../../src/cli/io.js";
import { progressFor, terminalProgress, wantsProgress } from "../../src/cli/progress.js";
import {
  estimateRemainingMs,
  formatClock,
  formatProgressLine,
  type ProgressState,
} from "../../src/cli/progress-line.js";
import { stripAnsi } from "../../src/report/ansi.js";

const START = 1_000_000;

function state(overrides: Partial<ProgressState> = {}): ProgressState {
  return {
    sizesDone: 2,
    sizesTotal: 5,
    memoryMb: 512,
    invocationsDone: 25,
    invocationsTotal: 50,
    startedAt: START,
    ...overrides,
  };
}

describe("formatProgressLine", () => {
  it("shows a bar, calls of the total, the size, elapsed time and ETA", () => {
    const line = formatProgressLine(state(), 100, START + 20_000);
    assert.equal(
      line,
      `${"█".repeat(15)}${"░".repeat(15)}  25/50 calls  size 3/5: 512 MB  0:20 elapsed  ETA 0:20`,
    );
  });

  it("never exceeds the width, dropping elapsed, size, the bar and ETA in turn", () => {
    const now = START + 65_000;
    for (let width = 20; width <= 120; width++) {
      const line = formatProgressLine(state(), width, now);
      assert.ok(line.length <= width, `${width}: ${line}`);
      assert.match(line, /25\/50 calls/);
    }
    assert.match(formatProgressLine(state(), 60, now), /█.*calls {2}size 3\/5: 512 MB {2}ETA/);
    assert.doesNotMatch(formatProgressLine(state(), 60, now), /elapsed/);
    assert.equal(
      formatProgressLine(state(), 40, now),
      `${"█".repeat(9)}${"░".repeat(8)}  25/50 calls  ETA 1:05`,
    );
    assert.equal(formatProgressLine(state(), 24, now), "25/50 calls  ETA 1:05");
  });

  it("counts without a bar or ETA when the total is unknown (adaptive, no budget given)", () => {
    const line = formatProgressLine(
      state({ invocationsTotal: undefined, sizesTotal: undefined }),
      100,
      START + 3_000,
    );
    assert.equal(line, "25 calls  512 MB, 2 sizes done  0:03 elapsed");
  });

  it("shows no ETA before the first call, and a full bar at the end", () => {
    const first = formatProgressLine(state({ invocationsDone: 0, sizesDone: 0 }), 100, START);
    assert.doesNotMatch(first, /ETA/);
    assert.match(first, /^░{30} {2}0\/50 calls {2}size 1\/5/);
    const last = formatProgressLine(state({ invocationsDone: 50, sizesDone: 5 }), 100, START + 9e3);
    assert.match(last, /^█{30} {2}50\/50 calls {2}size 5\/5: 512 MB {2}0:09 elapsed {2}ETA 0:00$/);
  });

  it("colors the bar only when asked", () => {
    const colored = formatProgressLine(state(), 100, START + 1000, true);
    assert.ok(colored.includes("\x1b[36m"));
    assert.equal(stripAnsi(colored), formatProgressLine(state(), 100, START + 1000, false));
  });

  it("formats clocks and estimates at the pace so far", () => {
    assert.equal(formatClock(7_000), "0:07");
    assert.equal(formatClock(754_000), "12:34");
    assert.equal(formatClock(3_723_000), "1:02:03");
    assert.equal(estimateRemainingMs(state(), START + 10_000), 10_000);
    assert.equal(estimateRemainingMs(state({ invocationsTotal: undefined }), START + 1), undefined);
  });
});

function recorder() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { stream, text: () => text };
}

describe("terminalProgress", () => {
  it("redraws in place with \\r, learns a grid's total, and clears the line when done", () => {
    const { stream, text } = recorder();
    let clock = START;
    const progress = terminalProgress(stream, { columns: 81, now: () => clock, refreshMs: 0 });
    progress.onProgress({ type: "size-start", memoryMb: 128, index: 0, total: 2 });
    for (let done = 1; done <= 2; done++) {
      clock += 1000;
      progress.onProgress({ type: "invocation", memoryMb: 128, done, planned: 2 });
    }
    progress.onProgress({ type: "size-done", memoryMb: 128 });
    progress.onProgress({ type: "size-start", memoryMb: 256, index: 1, total: 2 });
    clock += 1000;
    progress.onProgress({ type: "invocation", memoryMb: 256, done: 1, planned: 2 });
    progress.done();
    const frames = text().split("\r").slice(1);
    assert.ok(frames.every((f) => f.endsWith("\x1b[K")));
    const lines = frames.map((f) => f.replace("\x1b[K", ""));
    assert.ok(lines.every((line) => line.length <= 80));
    assert.match(lines[0]!, /^0 calls {2}size 1\/2: 128 MB {2}0:00 elapsed$/);
    assert.match(lines[1]!, /^█+░+ {2}1\/4 calls {2}size 1\/2: 128 MB {2}0:01 elapsed {2}ETA 0:03/);
    assert.ok(
      lines.some((line) =>
        /3\/4 calls {2}size 2\/2: 256 MB {2}0:03 elapsed {2}ETA 0:01/.test(line),
      ),
    );
    assert.equal(lines.at(-1), "", "the last frame clears the line");
    assert.ok(!text().includes("\n"), "never a newline");
  });

  it("draws at most every 100 ms of a fast sweep, but always a size's last call", () => {
    const { stream, text } = recorder();
    const clock = START;
    const progress = terminalProgress(stream, {
      columns: 100,
      now: () => clock,
      total: 1000,
      refreshMs: 0,
    });
    progress.onProgress({ type: "size-start", memoryMb: 128, index: 0, total: undefined });
    for (let done = 1; done <= 1000; done++) {
      progress.onProgress({ type: "invocation", memoryMb: 128, done, planned: 1000 });
    }
    const frames = text().split("\r").length - 1;
    assert.equal(frames, 2, "the size's start and its last call");
    assert.match(text(), /1000\/1000 calls/);
    progress.done();
  });

  it("writes nothing when no event came", () => {
    const { stream, text } = recorder();
    terminalProgress(stream).done();
    assert.equal(text(), "");
  });
});

function io(overrides: Partial<CliIo>): CliIo {
  return {
    stdin: Readable.from([]),
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    env: {},
    cwd: "/",
    stdoutIsTty: false,
    stderrIsTty: true,
    columns: 80,
    stderrColumns: 80,
    now: () => new Date(START),
    ...overrides,
  };
}

describe("wantsProgress", () => {
  it("only on a terminal's stderr, without --quiet, outside CI, on a capable terminal", () => {
    assert.equal(wantsProgress(io({}), false), true);
    assert.equal(wantsProgress(io({ stderrIsTty: false }), false), false);
    assert.equal(wantsProgress(io({}), true), false);
    assert.equal(wantsProgress(io({ env: { CI: "true" } }), false), false);
    assert.equal(wantsProgress(io({ env: { CI: "1" } }), false), false);
    assert.equal(wantsProgress(io({ env: { CI: "false" } }), false), true);
    assert.equal(wantsProgress(io({ env: { TERM: "dumb" } }), false), false);
    assert.equal(progressFor(io({ env: { CI: "1" } }), false), undefined);
  });

  it("fits the line to stderr's terminal, not stdout's (run ... > out.txt)", () => {
    const { stream, text } = recorder();
    const progress = progressFor(
      io({ stderr: stream, columns: 200, stderrColumns: 50 }),
      false,
      10,
    );
    progress?.onProgress({ type: "size-start", memoryMb: 1024, index: 0, total: 5 });
    progress?.done();
    const lines = text()
      .split("\r")
      .map((line) => stripAnsi(line).replace("\x1b[K", ""));
    assert.ok(lines.some((line) => line.length > 20));
    for (const line of lines) assert.ok(line.length < 50, `${line.length}: ${line}`);
  });

  it("colors per NO_COLOR and FORCE_COLOR on stderr", () => {
    const draw = (env: NodeJS.ProcessEnv) => {
      const { stream, text } = recorder();
      const progress = progressFor(io({ env, stderr: stream }), false, 10);
      progress?.onProgress({ type: "size-start", memoryMb: 128, index: 0, total: 1 });
      progress?.done();
      return text();
    };
    assert.ok(draw({}).includes("\x1b[36m") || draw({}).includes("\x1b[2m"));
    assert.ok(!draw({ NO_COLOR: "1" }).includes("\x1b[2m"));
    assert.ok(!draw({ FORCE_COLOR: "0" }).includes("\x1b[2m"));
    // The more specific request wins, as in Node.js.
    assert.ok(draw({ NO_COLOR: "1", FORCE_COLOR: "1" }).includes("\x1b["));
  });
});
