import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parsePayloadFile } from "../../src/cli/payloads.js";
import { UsageError } from "../../src/errors.js";

function refused(text: string, file: string, pattern: RegExp): void {
  assert.throws(
    () => parsePayloadFile(text, file),
    (error: unknown) => {
      assert.ok(error instanceof UsageError, String(error));
      assert.equal(error.exitCode, 2);
      assert.match(error.message, pattern);
      assert.ok((error.hint ?? "").length > 0, "a hint naming the fix");
      return true;
    },
  );
}

describe("parsePayloadFile", () => {
  it("reads one JSON event as before, pretty-printed or not", () => {
    const text = '{\n  "iterations": 200\n}\n';
    const one = parsePayloadFile(text, "event.json");
    assert.deepEqual(one.events, [text]);
    assert.deepEqual(one.weights, [1]);
    assert.deepEqual(parsePayloadFile("[1, 2]", "e.json").events, ["[1, 2]"]);
  });

  it("reads AWS Lambda Power Tuning's weighted payloads", () => {
    const text = JSON.stringify([
      { payload: { waitMs: 10 }, weight: 3 },
      { payload: { waitMs: 100 }, weight: 1 },
      { payload: "plain", weight: 0.5 },
    ]);
    const mix = parsePayloadFile(text, "weighted.json");
    assert.deepEqual(mix.events, ['{"waitMs":10}', '{"waitMs":100}', '"plain"']);
    assert.deepEqual(mix.weights, [3, 1, 0.5]);
    assert.deepEqual(mix.labels, ["#1", "#2", "#3"]);
    assert.deepEqual(mix.previews, ['{"waitMs":10}', '{"waitMs":100}', '"plain"']);
  });

  it("reads NDJSON with equal weights, by extension or by its lines", () => {
    const text = '{"a":1}\n\n{"a":2}\n{"a":3}\n';
    for (const file of ["events.ndjson", "events.jsonl", "events.txt"]) {
      const mix = parsePayloadFile(text, file);
      assert.deepEqual(mix.events, ['{"a":1}', '{"a":2}', '{"a":3}']);
      assert.deepEqual(mix.weights, [1, 1, 1]);
      assert.deepEqual(mix.labels, ["line 1", "line 3", "line 4"]);
    }
  });

  it("refuses a weight of 0 or below, or none", () => {
    refused(
      '[{"payload":{},"weight":1},{"payload":{},"weight":0}]',
      "w.json",
      /entry #2 of w\.json has weight 0: weights must be numbers above 0/,
    );
    refused('[{"payload":{},"weight":-2}]', "w.json", /entry #1 of w\.json has weight -2/);
    refused(
      '[{"payload":{}}, {"payload":{},"weight":1}]',
      "w.json",
      /entry #1 of w\.json has no weight/,
    );
  });

  it("refuses a list with no entries, and an entry without payload", () => {
    refused("[]", "w.json", /w\.json is a list with no entries/);
    refused(
      '[{"payload":{},"weight":1},{"weight":2}]',
      "w.json",
      /entry #2 of w\.json has no "payload"/,
    );
    refused("\n\n", "e.ndjson", /e\.ndjson has no events/);
  });

  it("names the NDJSON line that is not JSON", () => {
    refused('{"a":1}\n{"a":2}\n{oops\n', "events.ndjson", /line 3 of events\.ndjson is not JSON/);
    refused('{"a":1}\n{oops}\n', "events.txt", /line 2 of events\.txt is not JSON/);
    refused("{oops", "event.json", /the payload in event\.json is not JSON/);
  });
});
