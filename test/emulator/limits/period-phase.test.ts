// @serial: it measures CPU time or memory under real limits, so it runs alone (scripts/run-tests.mjs).
import assert from "node:assert/strict";
import { test } from "node:test";
import { PeriodClock } from "../../../src/emulator/limits/period-clock.js";
import { estimatePeriodPhase, nextPeriodStart } from "../../../src/emulator/limits/period-phase.js";

const near = (actual: number | undefined, expected: number, tolerance = 0.3) =>
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) <= tolerance,
    `${actual} is not within ${tolerance} of ${expected}`,
  );

test("the phase is where most narrow refill observations agree", () => {
  const seen = [105.1, 125.12, 145.08, 165.1].map((to) => ({ from: to - 0.05, to }));
  // A refill noticed late (the event loop was busy) and a wide read gap are outvoted or ignored.
  seen.push({ from: 185.0, to: 188.0 }, { from: 209.0, to: 209.05 });
  near(estimatePeriodPhase(seen, 20), 5.1);
});

test("phases either side of the period's wrap-around agree", () => {
  const seen = [19.95, 40.02, 59.98, 80.05].map((to) => ({ from: to - 0.02, to }));
  const phase = estimatePeriodPhase(seen, 20);
  assert.ok(phase !== undefined && (phase >= 19.8 || phase <= 0.2), String(phase));
});

test("without a majority, or without narrow observations, the phase stays unknown", () => {
  assert.equal(estimatePeriodPhase([], 20), undefined);
  assert.equal(estimatePeriodPhase([{ from: 1, to: 4 }], 20), undefined);
  const scattered = [3, 27, 51, 75].map((to) => ({ from: to - 0.01, to }));
  assert.equal(estimatePeriodPhase(scattered, 20), undefined);
});

test("the next period start is the first grid point at or after now", () => {
  assert.equal(nextPeriodStart(100, 5, 20), 105);
  assert.equal(nextPeriodStart(106, 5, 20), 125);
  assert.equal(nextPeriodStart(125, 5, 20), 125);
});

test("a period clock learns the grid from a counter and waits for the next period start", async () => {
  const started = performance.now();
  const phase = 7;
  const periods = () => Math.floor((performance.now() - started - phase) / 20);
  const clock = new PeriodClock({ periodMs: 20, readPeriods: periods, learnForMs: 1000 });
  await clock.learn();
  const learnt = clock.phaseMs;
  assert.ok(learnt !== undefined, "the phase was not learnt");
  const expected = (started + phase) % 20;
  const error = Math.min(Math.abs(learnt - expected), 20 - Math.abs(learnt - expected));
  // Generous: the event loop of a loaded test machine may be slow to turn.
  assert.ok(error < 2, `learnt ${learnt}, expected ${expected}`);
  await clock.waitForPeriodStart();
  const offset = (performance.now() - learnt + 20) % 20;
  assert.ok(offset < 5 || offset > 19, `woke ${offset} ms after the period start`);
});

test("a clock without a readable counter does not wait", async () => {
  const clock = new PeriodClock({ periodMs: 20, readPeriods: () => undefined });
  await clock.learn();
  assert.equal(clock.phaseMs, undefined);
  const before = performance.now();
  await clock.waitForPeriodStart();
  assert.ok(performance.now() - before < 5);
});
