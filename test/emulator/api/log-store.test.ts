import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileFilterPattern } from "../../../src/emulator/api/filter-pattern.js";
import { LogStore } from "../../../src/emulator/api/log-store.js";

describe("CloudWatch Logs store", () => {
  it("keeps only the newest events of a group and forgets emptied streams", () => {
    const store = new LogStore(() => 1000, 100);
    for (let i = 0; i < 500; i++)
      store.append("/aws/lambda/f", `stream-${Math.floor(i / 50)}`, `line ${i}\n`, 1000 + i);
    const group = store.group("/aws/lambda/f");
    assert.ok(group);
    assert.ok(group.events.length <= 110);
    assert.equal(group.events.at(-1)?.message, "line 499\n");
    assert.ok(!group.streams.has("stream-0"));
    const kept = [...group.streams.values()].reduce((sum, stream) => sum + stream.events, 0);
    assert.equal(kept, group.events.length);
  });

  it("stores a log one event per line, each ending in a newline", () => {
    const store = new LogStore(() => 5);
    store.appendLog(
      "/aws/lambda/f",
      "s",
      "START RequestId: a Version: 1\nhello\nREPORT RequestId: a\tDuration: 1 ms\t\n",
    );
    assert.deepEqual(
      store.group("/aws/lambda/f")?.events.map((e) => e.message),
      ["START RequestId: a Version: 1\n", "hello\n", "REPORT RequestId: a\tDuration: 1 ms\t\n"],
    );
  });
});

describe("filter patterns", () => {
  it("matches terms, quoted phrases, optional and excluded terms", () => {
    const report = "REPORT RequestId: 1234\tDuration: 3 ms\t\n";
    assert.equal(compileFilterPattern(undefined)(report), true);
    assert.equal(compileFilterPattern('"REPORT RequestId: 1234"')(report), true);
    assert.equal(compileFilterPattern('"REPORT RequestId: 9999"')(report), false);
    assert.equal(compileFilterPattern("REPORT Duration")(report), true);
    assert.equal(compileFilterPattern("REPORT -Duration")(report), false);
    assert.equal(compileFilterPattern("?ERROR ?REPORT")(report), true);
    assert.equal(compileFilterPattern("?ERROR ?WARN")(report), false);
    assert.equal(compileFilterPattern("report")(report), false, "case-sensitive");
    assert.throws(() => compileFilterPattern("{ $.level = 1 }"), {
      name: "InvalidParameterException",
    });
  });
});
