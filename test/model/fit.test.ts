import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type CurvePoint, curveModel } from "../../src/model/curves.js";
import { fitDurationCurve, leaveOneSizeOutError, predict } from "../../src/model/fit.js";

const SIZES = [128, 256, 384, 512, 768, 1024, 1536, 2048, 3008];

function sample(f: (m: number) => number, sizes = SIZES): CurvePoint[] {
  return sizes.map((memoryMb) => ({ memoryMb, durationMs: f(memoryMb) }));
}

function assertClose(actual: number | undefined, expected: number, relative: number): void {
  assert.ok(actual !== undefined, "parameter missing");
  assert.ok(
    Math.abs(actual - expected) <= relative * Math.abs(expected),
    `${actual} is not within ${relative * 100}% of ${expected}`,
  );
}

describe("fitDurationCurve", () => {
  it("recovers a logarithmic curve and picks it", () => {
    const { fit } = fitDurationCurve(sample((m) => 900 - 80 * Math.log(m)));
    assert.equal(fit?.name, "logarithmic");
    assertClose(fit.parameters.a, 900, 1e-6);
    assertClose(fit.parameters.b, -80, 1e-6);
    assert.ok(fit.error < 1e-6);
  });

  it("recovers a power law and picks it", () => {
    const { fit } = fitDurationCurve(sample((m) => 40_000 * m ** -0.7));
    assert.equal(fit?.name, "power");
    assertClose(fit.parameters.a, 40_000, 1e-3);
    assertClose(fit.parameters.b, -0.7, 1e-3);
  });

  it("recovers an Amdahl curve with its one-vCPU knee and picks it", () => {
    const { fit } = fitDurationCurve(sample((m) => 5 + 50_000 / Math.min(m, 1769)));
    assert.equal(fit?.name, "amdahl");
    assertClose(fit.parameters.a, 5, 1e-6);
    assertClose(fit.parameters.b, 50_000, 1e-6);
    assert.equal(fit.parameters.knee, 1769);
    assert.deepEqual(fit.candidates.map((c) => c.name).sort(), [
      "exponential",
      "logarithmic",
      "power",
    ]);
  });

  it("recovers an exponential curve and picks it", () => {
    const { fit } = fitDurationCurve(sample((m) => 60 + 900 * Math.exp(-m / 450)));
    assert.equal(fit?.name, "exponential");
    assertClose(fit.parameters.a0, 60, 1e-3);
    assertClose(fit.parameters.a1, 900, 1e-3);
    assertClose(fit.parameters.a2, 450, 1e-3);
  });

  it("returns no fit, with the reason, below three sizes", () => {
    const outcome = fitDurationCurve(sample((m) => 1000 / m, [128, 256]));
    assert.equal(outcome.fit, null);
    assert.match(outcome.reason, /2 measured sizes.*at least 3/);
  });

  it("leaves out the exponential with three sizes and says so", () => {
    const outcome = fitDurationCurve(sample((m) => 10 + 9000 / m, [128, 512, 1024]));
    assert.ok(outcome.fit !== null);
    assert.ok(!outcome.fit.candidates.some((c) => c.name === "exponential"));
    assert.notEqual(outcome.fit.name, "exponential");
    assert.match(outcome.reason, /too few sizes for exponential/);
  });

  it("predicts with the chosen model", () => {
    const { fit } = fitDurationCurve(sample((m) => 5 + 50_000 / Math.min(m, 1769)));
    assert.ok(fit !== null);
    assertClose(predict(fit, 640), 5 + 50_000 / 640, 1e-6);
    assertClose(predict(fit, 10240), 5 + 50_000 / 1769, 1e-6);
  });

  it("rejects an unknown model name in predict", () => {
    assert.throws(() => predict({ name: "cubic", parameters: {} }, 512), /unknown curve model/);
  });
});

describe("leaveOneSizeOutError", () => {
  it("is the mean relative error of held-out predictions", () => {
    // Exact data has no held-out error; bumping one size by 10% must show up.
    const model = curveModel("logarithmic")!;
    const exact = sample((m) => 100 + 10 * Math.log(m), [100, 200, 400]);
    assert.ok((leaveOneSizeOutError(model, exact) ?? 1) < 1e-9);
    const bumped = exact.map((p, i) => (i === 1 ? { ...p, durationMs: p.durationMs * 1.1 } : p));
    const error = leaveOneSizeOutError(model, bumped);
    assert.ok(error !== null && error > 0.01);
  });

  it("is null when too few sizes remain for the model", () => {
    const model = curveModel("exponential")!;
    assert.equal(
      leaveOneSizeOutError(
        model,
        sample((m) => m, [128, 256, 512]),
      ),
      null,
    );
  });
});
