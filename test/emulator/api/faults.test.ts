import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FaultInjector, parseFaultSpec } from "../../../src/emulator/api/faults.js";

const kinds = (injector: FaultInjector, operation: string, calls: number) =>
  Array.from({ length: calls }, () => injector.take(operation)?.kind ?? "-");

describe("the emulator's fault injector", () => {
  it("faults the next calls in the order faults were injected, then lets calls through", () => {
    const faults = new FaultInjector([
      { operation: "Invoke", kind: "429", times: 2 },
      { operation: "Invoke", kind: "drop" },
    ]);
    assert.deepEqual(kinds(faults, "Invoke", 4), ["429", "429", "drop", "-"]);
    assert.equal(faults.calls("Invoke"), 4);
  });

  it("lets `after` calls through first", () => {
    const faults = new FaultInjector([
      { operation: "DeleteFunction", kind: "500", after: 1, times: 2 },
    ]);
    assert.deepEqual(kinds(faults, "DeleteFunction", 4), ["-", "500", "500", "-"]);
  });

  it("faults a seeded share of calls with `rate`, the same share for the same seed", () => {
    const draw = () =>
      kinds(
        new FaultInjector([{ operation: "Invoke", kind: "drop-after-run", rate: 0.3, seed: 7 }]),
        "Invoke",
        1000,
      );
    const first = draw();
    assert.deepEqual(draw(), first);
    const share = first.filter((k) => k === "drop-after-run").length / first.length;
    assert.ok(share > 0.25 && share < 0.35, `share ${share}`);
  });

  it("refuses malformed faults with a message", () => {
    assert.match(
      String(parseFaultSpec({ operation: "Invoke", kind: "418" })),
      /kind must be one of/,
    );
    assert.match(
      String(parseFaultSpec({ operation: "Invoke", kind: "500", rate: 2 })),
      /rate must be/,
    );
    assert.match(
      String(parseFaultSpec({ operation: "Invoke", kind: "500", after: -1 })),
      /after must be/,
    );
    assert.deepEqual(parseFaultSpec({ operation: "Invoke", kind: "delay", delayMs: 50 }), {
      operation: "Invoke",
      kind: "delay",
      delayMs: 50,
    });
  });
});
