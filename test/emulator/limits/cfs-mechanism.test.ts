/**
 * @serial: it times CPU bursts under real limits; a neighbour's load stretches them.
 * Both limit backends reproduce CFS bandwidth control as Lambda applies it
 * (src/model/cfs-bandwidth.ts), checked on a real spinning process at 128 MB:
 * bursts of about one 4 ms tick, throttles that pay the debt (36 or 56 ms),
 * resumes on one fixed 20 ms grid, a full quota after idle and no burst.
 * Bounds are generous, and shares rather than every event, so that a loaded
 * host (which holds the child back at random) does not fail them.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, test } from "node:test";
import type { LimitBackend } from "../../../src/emulator/limits/types.js";
import { UserSpaceThrottle } from "../../../src/emulator/limits/user-space-throttle.js";
import { fixturePool } from "../fixture-pool.js";
import { type SpinWindow, traceInGroup } from "./busy-child.js";
import { median, phaseAgreement, summarize } from "./run-trace.js";
import { backendOrReason } from "./select.js";

const linux = process.platform === "linux";
const root = process.getuid?.() === 0;
const QUOTA_MS = (20 * 128) / 1769;
const at128 = { memoryMb: 128, cpuCores: 128 / 1769, periodMs: 20, tickMs: 4 };

let cgroup: LimitBackend | string;
before(async () => {
  cgroup = await backendOrReason("cgroup-v1");
});
after(async () => {
  if (typeof cgroup !== "string") await cgroup.dispose();
});

function checkMechanism(
  t: { diagnostic(message: string): void },
  trace: SpinWindow[],
  tickBurst: { min: number; max: number },
): void {
  const s = summarize(trace);
  const list = (values: number[]) => values.map((v) => v.toFixed(1)).join(" ");
  t.diagnostic(
    `share ${s.share.toFixed(4)}; bursts ${list(s.bursts)}; throttles ${list(s.throttles)}`,
  );
  t.diagnostic(`first bursts after idle ${list(s.firstBursts)}`);
  assert.ok(s.throttles.length >= 10, `only ${s.throttles.length} throttles`);
  // Each burst overruns the 1.45 ms quota up to a tick; the debt keeps the share at the quota.
  assert.ok(s.share < 1.4 * (128 / 1769), `share ${s.share}: the overruns were not paid back`);
  assert.ok(s.share > 0.3 * (128 / 1769), `share ${s.share}`);
  // Checked at ticks: a burst runs on past the quota to the next tick.
  const burst = median(s.bursts);
  assert.ok(burst > tickBurst.min && burst < tickBurst.max, `median burst ${burst} ms`);
  // Held back until a period boundary at least (a delayed throttle repays longer).
  const throttle = median(s.throttles);
  assert.ok(throttle > 14 && throttle < 200, `median throttle ${throttle} ms`);
  // One fixed grid: resumes fall at the same point of the 20 ms period, in every spin.
  const agreement = phaseAgreement(s.resumedAt, 20, 1.5);
  assert.ok(agreement >= 0.5, `only ${(agreement * 100).toFixed(0)}% of resumes on one grid`);
  // After idle the quota is full, and there is no burst beyond one tick's overrun.
  const first = median(s.firstBursts);
  assert.ok(first > 0.8 * QUOTA_MS && first < QUOTA_MS + 6, `first bursts ${s.firstBursts}`);
}

// The kernel's period timer starts at a random point between its ticks (Linux 6.6 and later),
// so a burst there lasts from the refill to the next tick: 0 to 4 ms, past the quota.
const CGROUP_BURST = { min: 1, max: 6.5 };
// The throttle's ticks are on its period grid: a burst is one tick less the signals' latency.
const THROTTLE_BURST = { min: 2.5, max: 6.5 };

test("cgroup v1: one tick's burst, debt, a fixed grid, a full quota after idle", async (t) => {
  if (typeof cgroup === "string") {
    t.skip(cgroup);
    return;
  }
  const group = await cgroup.createGroup("mechanism", at128);
  try {
    checkMechanism(t, await traceInGroup(group, 150, 400, 4), CGROUP_BURST);
  } finally {
    await group.dispose();
  }
});

test("the user-space throttle: the same mechanism on its own 4 ms tick grid", {
  skip: !linux,
}, async (t) => {
  const backend = new UserSpaceThrottle({ hostCores: 2 });
  try {
    const group = await backend.createGroup("mechanism", at128);
    checkMechanism(t, await traceInGroup(group, 150, 400, 4), THROTTLE_BURST);
  } finally {
    await backend.dispose();
  }
});

test("the user-space throttle as a user without privileges (nobody)", {
  skip: (!root || !linux) && "needs root to switch to nobody",
}, (t) => {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "test/emulator/limits/trace-as-user.ts"],
    { uid: 65534, gid: 65534, encoding: "utf8", env: { ...process.env, HOME: "/tmp" } },
  );
  if (result.status !== 0) {
    t.skip(`could not run as nobody: ${result.stderr.trim().split("\n").at(-1)}`);
    return;
  }
  const { kind, trace } = JSON.parse(result.stdout) as { kind: string; trace: SpinWindow[] };
  assert.equal(kind, "user-space-throttle");
  checkMechanism(t, trace, THROTTLE_BURST);
});

test("cgroup v1: an invocation is handed out when it arrives, not at the next period", async (t) => {
  if (typeof cgroup === "string") {
    t.skip(cgroup);
    return;
  }
  const backend = cgroup;
  let groups = 0;
  const { pool } = fixturePool("noop", {
    memoryMb: 1024,
    limitGroup: () =>
      backend.createGroup(`arrival-${groups++}`, {
        memoryMb: 1024,
        cpuCores: 1024 / 1769,
        periodMs: 20,
        tickMs: 4,
      }),
  });
  try {
    await pool.invoke("{}");
    const trips: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      await pool.invoke("{}");
      trips.push(performance.now() - started);
    }
    t.diagnostic(`median round trip ${median(trips).toFixed(2)} ms`);
    // Waiting for a period start took 10 ms on average; a loaded host adds a few.
    assert.ok(median(trips) < 8, `median round trip ${median(trips)} ms`);
  } finally {
    await pool.release();
  }
});
