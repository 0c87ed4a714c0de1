import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { UsageError } from "../../../src/errors.js";
import { openLogFile, readLines } from "../../../src/logs/sources/line-source.js";

async function linesOf(chunks: (string | Buffer)[], maxLineLength?: number) {
  const out: [number, string][] = [];
  const options = maxLineLength === undefined ? {} : { maxLineLength };
  for await (const { text, lineNumber } of readLines(Readable.from(chunks), options)) {
    out.push([lineNumber, text]);
  }
  return out;
}

describe("readLines", () => {
  it("splits LF and CRLF lines across chunk boundaries and keeps a last line without a break", async () => {
    assert.deepEqual(await linesOf(["a\r", "\nbb\n\nc", "cc\r\n", "dd"]), [
      [1, "a"],
      [2, "bb"],
      [3, ""],
      [4, "ccc"],
      [5, "dd"],
    ]);
  });

  it("decodes a UTF-8 character split between two chunks", async () => {
    const bytes = Buffer.from("é1\nµs\n");
    assert.deepEqual(
      await linesOf([bytes.subarray(0, 1), bytes.subarray(1, 5), bytes.subarray(5)]),
      [
        [1, "é1"],
        [2, "µs"],
      ],
    );
  });

  it("cuts overlong lines so one huge line cannot grow memory", async () => {
    assert.deepEqual(await linesOf(["abcdef", "ghij\nxy", "z\n", "0123456789"], 4), [
      [1, "abcd"],
      [2, "xyz"],
      [3, "0123"],
    ]);
  });

  it("gives nothing for empty input", async () => {
    assert.deepEqual(await linesOf([]), []);
  });
});

describe("openLogFile", () => {
  it("names a missing file or a directory in a UsageError", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lambda-tune-lines-"));
    try {
      await assert.rejects(openLogFile(join(dir, "nope.log")), (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, /nope\.log does not exist/);
        assert.equal(error.exitCode, 2);
        return true;
      });
      await assert.rejects(openLogFile(dir), /is a directory/);
      await writeFile(join(dir, "ok.log"), "x\n");
      const lines = [];
      for await (const line of readLines(await openLogFile(join(dir, "ok.log"))))
        lines.push(line.text);
      assert.deepEqual(lines, ["x"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
