import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CfsSandbox,
  callDurationMs,
  lambdaBandwidth,
  runCalls,
} from "../../src/model/cfs-bandwidth.js";
import { PUBLISHED_LOOP, replayClientLoop } from "../../src/model/cfs-client-loop.js";
import { expectedDuration, phaseDistribution, phaseQuantile } from "../../src/model/cfs-phase.js";
import { createRandom } from "../../src/model/random.js";

const near = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`);

const at1000 = lambdaBandwidth(1000);
const at128 = lambdaBandwidth(128);

describe("lambdaBandwidth", () => {
  it("gives memory/1,769 of a core per 20 ms period, over several cores above 1,769 MB", () => {
    near(lambdaBandwidth(1769).quotaMs, 20);
    near(at128.quotaMs, (20 * 128) / 1769);
    near(lambdaBandwidth(3538).quotaMs, 40);
    assert.equal(at1000.periodMs, 20);
    assert.equal(at1000.tickMs, 4);
  });
});

describe("the CFS mechanism", () => {
  it("checks the budget only at ticks: a task overruns its quota until the next tick", () => {
    // 11.3 ms of quota: at the 12 ms tick 12 ms are used, 0.7 ms of debt.
    const sandbox = new CfsSandbox(at1000, 0);
    near(sandbox.run(16), 24);
    // Resumed at 20 with the quota less the debt, then 4 ms more.
    near(sandbox.budgetMs, at1000.quotaMs - (12 - at1000.quotaMs) - 4);
  });

  it("throttles runtime work the moment its budget runs out", () => {
    const exact = new CfsSandbox(at1000, 0);
    exact.run(11);
    // 0.31 ms left: stopped at 11.31, resumed at the refill at 20.
    near(exact.run(1.3, "exact"), 20 + (1.3 - (at1000.quotaMs - 11)) - 11);
    const ticked = new CfsSandbox(at1000, 0);
    ticked.run(11);
    // Checked at ticks, the same work runs on to the 12 ms tick.
    near(ticked.run(1.3, "tick"), 20 + 0.3 - 11);
  });

  it("carries overruns as debt: at 128 MB bursts of one tick, throttled 36 or 56 ms", () => {
    const sandbox = new CfsSandbox(at128, 0);
    // 4 + 36 (debt 2.55 ms: refills at 20 and 40) + 4 + 56 (debt 3.66 ms) + 4.
    near(sandbox.run(12), 104);
  });

  it("gives the long-run share of a core that the quota allows", () => {
    const sandbox = new CfsSandbox(at128, 0);
    const share = 1000 / sandbox.run(1000);
    assert.ok(Math.abs(share / (128 / 1769) - 1) < 0.01, `share ${share}`);
  });

  it("keeps one period grid for the sandbox's life: the phase of each start matters", () => {
    const sandbox = new CfsSandbox(at1000, 0);
    near(sandbox.run(16), 24);
    // Started 10 ms into a period, the work spans a refill and is never throttled.
    sandbox.idleUntil(70);
    near(sandbox.run(16), 16);
    near(callDurationMs(at1000, 16, 10, 0), 16);
    near(callDurationMs(at1000, 16, 0, 0), 24);
  });

  it("refills a full quota after idle, and no more (no burst)", () => {
    const sandbox = new CfsSandbox(at128, 0);
    sandbox.run(4);
    assert.ok(sandbox.budgetMs < 0, "left in debt");
    sandbox.idleUntil(30);
    assert.ok(sandbox.budgetMs < 0, "one refill does not pay 2.55 ms of debt");
    sandbox.idleUntil(1000);
    near(sandbox.budgetMs, at128.quotaMs);
  });

  it("starts a call that arrives in debt only at the refill that pays it", () => {
    const [first, second] = runCalls(at128, [
      { gapMs: 0, workMs: 4, overheadMs: 0 },
      { gapMs: 0, workMs: 1, overheadMs: 0 },
    ]);
    near(first ?? 0, 4);
    // Waits from 4 to 40, then runs 1 ms.
    near(second ?? 0, 37);
  });

  it("checks at ticks offset from the period grid when the host's timer is (Linux 6.6+ cgroups)", () => {
    const sandbox = new CfsSandbox({ ...at128, tickOffsetMs: 2 }, 0);
    // The first tick comes 2 ms into the period: throttled there, resumed at the refill at 20.
    near(sandbox.run(3), 21);
  });

  it("moves durations in 4 ms steps at 1,000 MB: only ~16.1, 20.1, 24.1 or 28.1 ms", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      seen.add(Math.round(callDurationMs(at1000, 16.1, (i * 20) / 2000, 0) * 1000) / 1000);
    }
    for (const ms of seen) assert.ok([16.1, 20.1, 24.1, 28.1].includes(ms), `${ms}`);
    assert.ok(seen.size >= 3, `only ${[...seen]}`);
  });
});

describe("random-phase arrivals (the production curve)", () => {
  it("agree with the mean over a fine grid of phases", () => {
    for (const [memoryMb, workMs, overheadMs] of [
      [128, 16, 1.3],
      [700, 16, 1.3],
      [1000, 16.1, 0],
      [1301, 16, 1.3],
      [1500, 40, 0.5],
    ] as const) {
      const bw = lambdaBandwidth(memoryMb);
      let sum = 0;
      const steps = 20_000;
      for (let i = 0; i < steps; i++) {
        sum += callDurationMs(bw, workMs, ((i + 0.5) * 20) / steps, overheadMs);
      }
      near(expectedDuration(bw, workMs, overheadMs), sum / steps, 0.01);
      const total = phaseDistribution(bw, workMs, overheadMs).reduce(
        (s, o) => s + o.probability,
        0,
      );
      near(total, 1, 1e-9);
    }
  });

  it("give the 4 ms steps exactly, with their shares", () => {
    const outcomes = phaseDistribution(at1000, 16.1, 0);
    assert.deepEqual(
      outcomes.map((o) => o.minMs),
      outcomes.map((o) => o.maxMs),
    );
    assert.deepEqual(
      outcomes.map((o) => o.minMs),
      [16.1, 20.1, 24.1],
    );
    near(phaseQuantile(outcomes, 0.5), 16.1, 1e-5);
    near(phaseQuantile(outcomes, 0.9), 24.1, 1e-5);
  });

  it("are never throttled at one vCPU or more", () => {
    near(expectedDuration(lambdaBandwidth(1769), 16, 1.3), 17.3);
    near(expectedDuration(lambdaBandwidth(3538), 30, 1.3), 31.3);
  });
});

describe("the published client loop", () => {
  it("holds the start phase where the runtime's work is throttled: the 21.5 ms plateau", () => {
    const bw = lambdaBandwidth(1301);
    const durations = replayClientLoop(bw, {
      workMs: 16,
      calls: 500,
      ...PUBLISHED_LOOP,
      random: createRandom(1),
    }).sort((a, b) => a - b);
    const median = durations[durations.length >> 1] ?? 0;
    // Published median at 1,301 MB: 21.45 ms; random phases give 17.3 ms.
    assert.ok(Math.abs(median / 21.45 - 1) < 0.05, `median ${median}`);
    near(phaseQuantile(phaseDistribution(bw, 16), 0.5), 17.3, 1e-5);
  });
});
