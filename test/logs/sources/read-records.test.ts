import assert from "node:assert/strict";
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { type MalformedLine, readRecords } from "../../../src/logs/sources/read-records.js";

describe("readRecords", () => {
  it("reads every record of the text fixture from a file stream", async () => {
    const ids: string[] = [];
    const malformed: MalformedLine[] = [];
    const input = createReadStream("fixtures/reports/variants.log", { highWaterMark: 64 });
    for await (const record of readRecords(input, "variants.log", {
      onMalformed: (m) => void malformed.push(m),
    })) {
      ids.push(record.requestId);
    }
    assert.equal(ids.length, 15);
    assert.equal(ids.at(-1), "3b4c5d6e-7f8a-4b9c-8d0e-2f3a4b5c6d15");
    assert.deepEqual(malformed, []);
  });

  it("reports malformed lines with source and line, waits for the callback, and goes on", async () => {
    const text = [
      "REPORT RequestId: a\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 9 MB",
      "REPORT RequestId: b\tDuration: x ms",
      "REPORT RequestId: c\tDuration: 2.00 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 9 MB",
    ].join("\n");
    const seen: string[] = [];
    const onMalformed = async (m: MalformedLine) => {
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(`${m.source}:${m.line}: ${m.reason}`);
    };
    const ids: string[] = [];
    for await (const record of readRecords(Readable.from([text]), "in.log", { onMalformed })) {
      ids.push(record.requestId);
    }
    assert.deepEqual(ids, ["a", "c"]);
    assert.deepEqual(seen, ['in.log:2: Duration is not a number: "x"']);
  });
});
