import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { paint } from "../../src/report/ansi.js";
import { wrapText } from "../../src/report/wrap-text.js";

describe("wrapText", () => {
  it("breaks at spaces with a hanging indent", () => {
    assert.deepEqual(wrapText("one two three four", 10, "- ", "  "), [
      "- one two",
      "  three",
      "  four",
    ]);
  });

  it("keeps a word longer than the line whole", () => {
    assert.deepEqual(wrapText("a fixtures/handlers/cpu-bound.handler b", 12), [
      "a",
      "fixtures/handlers/cpu-bound.handler",
      "b",
    ]);
  });

  it("does not count escape codes as width", () => {
    const red = paint("one", "red", true);
    assert.deepEqual(wrapText(`${red} two`, 7), [`${red} two`]);
  });
});
