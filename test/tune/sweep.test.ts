import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Invocation } from "../../src/document/invocation.js";
import { UsageError } from "../../src/errors.js";
import type { ReportRecord } from "../../src/logs/record.js";
import { loadRecording } from "../../src/targets/replay/load.js";
import { createReplayTarget } from "../../src/targets/replay/replay-target.js";
import type { FunctionInfo, PreparedSize, Target } from "../../src/targets/target.js";
import type { Planner } from "../../src/tune/plan.js";
import { createFixedGridPlanner } from "../../src/tune/plan.js";
import { runSweep, type SweepEvent } from "../../src/tune/sweep.js";

const F2 = fileURLToPath(new URL("../../fixtures/recordings/pacslab-f2.log", import.meta.url));

/** A real target wrapped to watch how the sweep drives it: in-flight calls, order, failures. */
class WatchedTarget implements Target {
  readonly kind;
  inFlight = 0;
  maxInFlight = 0;
  started = 0;
  prepared: number[] = [];
  released: number[] = [];
  openSizes = 0;
  maxOpenSizes = 0;
  inFlightAtRelease: number[] = [];

  constructor(
    private readonly inner: Target,
    private readonly failOnInvocation?: number,
  ) {
    this.kind = inner.kind;
  }

  describe(): Promise<FunctionInfo> {
    return this.inner.describe();
  }
  availableSizes() {
    return this.inner.availableSizes();
  }
  capacity(memoryMb: number) {
    return this.inner.capacity(memoryMb);
  }
  restore() {
    return this.inner.restore();
  }

  async prepare(memoryMb: number): Promise<PreparedSize> {
    const size = await this.inner.prepare(memoryMb);
    this.prepared.push(memoryMb);
    this.maxOpenSizes = Math.max(this.maxOpenSizes, ++this.openSizes);
    return {
      memoryMb,
      invoke: async (payload: string): Promise<Invocation> => {
        const number = ++this.started;
        this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
        try {
          // Yield to the event loop so other invocations can start meanwhile.
          await new Promise((resolve) => setImmediate(resolve));
          if (number === this.failOnInvocation) throw new Error(`invocation ${number} broke`);
          return await size.invoke(payload);
        } finally {
          this.inFlight--;
        }
      },
      release: async () => {
        this.inFlightAtRelease.push(this.inFlight);
        this.released.push(memoryMb);
        this.openSizes--;
        await size.release();
      },
    };
  }
}

describe("runSweep with the replay target on a real recording", () => {
  let records: ReportRecord[];
  before(async () => {
    records = (await loadRecording(F2)).records;
  });
  const replay = (seed = 1) => createReplayTarget({ records, name: "pacslab-f2.log", seed });

  it("collects the planned records per size, in plan order, with progress", async () => {
    const target = new WatchedTarget(replay());
    const events: SweepEvent[] = [];
    const result = await runSweep({
      target,
      planner: createFixedGridPlanner({ sizes: [128, 1024, 3008], invocationsPerSize: 20 }),
      payload: "{}",
      concurrency: 4,
      onProgress: (event) => events.push(event),
    });
    assert.deepEqual([...result.records.keys()], [128, 1024, 3008]);
    for (const [memoryMb, sizeRecords] of result.records) {
      assert.equal(sizeRecords.length, 20);
      assert.ok(sizeRecords.every((r) => r.memorySizeMB === memoryMb));
      assert.equal(new Set(sizeRecords.map((r) => r.requestId)).size, 20);
    }
    assert.equal(result.invocations, 60);
    assert.equal(result.notes.size, 0);
    assert.deepEqual(target.prepared, [128, 1024, 3008]);
    assert.deepEqual(target.released, [128, 1024, 3008]);

    const starts = events.filter((e) => e.type === "size-start");
    assert.deepEqual(starts, [
      { type: "size-start", memoryMb: 128, index: 0, total: 3 },
      { type: "size-start", memoryMb: 1024, index: 1, total: 3 },
      { type: "size-start", memoryMb: 3008, index: 2, total: 3 },
    ]);
    const at1024 = events.filter((e) => e.type === "invocation" && e.memoryMb === 1024);
    assert.deepEqual(
      at1024.map((e) => (e.type === "invocation" ? [e.done, e.planned] : [])),
      Array.from({ length: 20 }, (_, i) => [i + 1, 20]),
    );
    assert.deepEqual(events.at(-1), { type: "size-done", memoryMb: 3008 });
  });

  it("keeps at most `concurrency` invocations in flight; a grid releases each size when done", async () => {
    for (const concurrency of [1, 3, 8]) {
      const target = new WatchedTarget(replay());
      await runSweep({
        target,
        planner: createFixedGridPlanner({
          sizes: [256, 512, 640, 768, 896, 1024],
          invocationsPerSize: 17,
        }),
        payload: "{}",
        concurrency,
      });
      assert.equal(target.maxInFlight, concurrency, `concurrency ${concurrency}`);
      // A grid never comes back to a size: holding its sandboxes would only cost memory.
      assert.equal(target.maxOpenSizes, 1);
      assert.equal(target.openSizes, 0, "every size released by the end");
      assert.deepEqual(target.inFlightAtRelease, [0, 0, 0, 0, 0, 0], "released only when idle");
      assert.deepEqual(target.released, [256, 512, 640, 768, 896, 1024]);
    }
  });

  it("keeps every size a planner may come back to prepared until the sweep ends", async () => {
    // Issue 14: the sweep kept at most 4 sizes open, so a return visit often met a new
    // (cold) sandbox although README says sizes stay warm.
    const target = new WatchedTarget(replay());
    const order = [128, 256, 384, 512, 640, 768, 896, 128, 256, 1024, 128];
    let step = 0;
    const planner: Planner = {
      totalSteps: undefined,
      next: () => {
        const memoryMb = order[step++];
        return memoryMb === undefined ? undefined : { memoryMb, invocations: 2 };
      },
    };
    const releasedDuring: number[] = [];
    const result = await runSweep({
      target,
      planner,
      payload: "{}",
      concurrency: 1,
      onProgress: () => releasedDuring.push(target.released.length),
    });
    assert.deepEqual(target.prepared, [128, 256, 384, 512, 640, 768, 896, 1024]);
    assert.equal(target.maxOpenSizes, 8);
    assert.ok(
      releasedDuring.every((n) => n === 0),
      "nothing released while the sweep runs",
    );
    assert.equal(target.openSizes, 0, "every size released by the end");
    assert.equal(result.records.get(128)?.length, 6);
  });

  it("gives the same records in the same order for the same seed", async () => {
    const run = (seed: number) =>
      runSweep({
        target: new WatchedTarget(replay(seed)),
        planner: createFixedGridPlanner({ sizes: [640, 1536], invocationsPerSize: 10 }),
        payload: "{}",
        concurrency: 3,
      });
    const ids = (result: Awaited<ReturnType<typeof run>>) =>
      [...result.records.values()].flat().map((r) => r.requestId);
    assert.deepEqual(ids(await run(5)), ids(await run(5)));
    assert.notDeepEqual(ids(await run(5)), ids(await run(6)));
  });

  it("uses what a size has when it has fewer records than planned, and says so", async () => {
    const fewer = [
      ...records.filter((r) => r.memorySizeMB === 128).slice(0, 40),
      ...records.filter((r) => r.memorySizeMB === 192),
    ];
    const target = createReplayTarget({ records: fewer, name: "fewer.log", seed: 1 });
    const result = await runSweep({
      target,
      planner: createFixedGridPlanner({ sizes: [128, 192], invocationsPerSize: 50 }),
      payload: "{}",
      concurrency: 2,
    });
    assert.equal(result.records.get(128)?.length, 40);
    assert.equal(result.records.get(192)?.length, 50);
    assert.equal(result.invocations, 90);
    assert.deepEqual(result.notes.get(128), [
      "replay: only 40 records left at 128 MB; used 40 of 50",
    ]);
    assert.equal(result.notes.has(192), false);
  });

  it("refuses a fixed plan with sizes the target lacks before preparing any", async () => {
    const target = new WatchedTarget(replay());
    await assert.rejects(
      runSweep({
        target,
        planner: createFixedGridPlanner({ sizes: [128, 1000, 1100], invocationsPerSize: 5 }),
        payload: "{}",
        concurrency: 1,
      }),
      (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, /1000, 1100 MB/);
        assert.match(error.hint ?? "", /128-3008 MB in steps of 64/);
        return true;
      },
    );
    assert.deepEqual(target.prepared, []);
  });

  it("refuses a concurrency below 1 as a bug in the caller", async () => {
    const target = new WatchedTarget(replay());
    const planner = createFixedGridPlanner({ sizes: [128], invocationsPerSize: 5 });
    await assert.rejects(runSweep({ target, planner, payload: "{}", concurrency: 0 }), RangeError);
    assert.deepEqual(target.prepared, []);
  });

  it("passes on a planner's unknown size as the target's usage error", async () => {
    const planner: Planner = {
      totalSteps: 1,
      next: (observations) =>
        observations.size === 0 ? { memoryMb: 1000, invocations: 3 } : undefined,
    };
    await assert.rejects(
      runSweep({ target: replay(), planner, payload: "{}", concurrency: 1 }),
      (error: unknown) =>
        error instanceof UsageError && /no records at 1000 MB/.test(error.message),
    );
  });

  it("lets a planner revisit a size from what it observed", async () => {
    const target = new WatchedTarget(replay());
    const seen: number[] = [];
    const planner: Planner = {
      totalSteps: undefined,
      next(observations) {
        const at256 = observations.get(256)?.length ?? 0;
        seen.push(at256);
        return at256 < 12 ? { memoryMb: 256, invocations: 6 } : undefined;
      },
    };
    const events: SweepEvent[] = [];
    const result = await runSweep({
      target,
      planner,
      payload: "{}",
      concurrency: 2,
      onProgress: (event) => events.push(event),
    });
    assert.deepEqual(seen, [0, 6, 12]);
    assert.deepEqual(
      target.prepared,
      [256],
      "a revisit reuses the prepared size (warm, published)",
    );
    const at256 = result.records.get(256) ?? [];
    assert.equal(at256.length, 12);
    assert.equal(new Set(at256.map((r) => r.requestId)).size, 12, "no record twice");
    assert.equal(result.invocations, 12);
    assert.deepEqual(
      events.filter((e) => e.type === "size-start").map((e) => e.type === "size-start" && e.total),
      [undefined, undefined],
    );
  });

  it("pauses after each invocation ends before the next at the size starts, across a planner's steps", async () => {
    let clock = 0;
    const spans: [memoryMb: number, start: number, end: number][] = [];
    const slept: number[] = [];
    const inner = replay();
    const target: Target = {
      ...inner,
      kind: inner.kind,
      describe: () => inner.describe(),
      availableSizes: () => inner.availableSizes(),
      capacity: (m) => inner.capacity(m),
      restore: () => inner.restore(),
      async prepare(memoryMb) {
        const size = await inner.prepare(memoryMb);
        return {
          memoryMb,
          release: () => size.release(),
          async invoke(payload) {
            const start = clock;
            clock += 10;
            spans.push([memoryMb, start, clock]);
            return size.invoke(payload);
          },
        };
      },
    };
    // 256 twice in a row, then 512, then 256 again.
    const steps = [256, 256, 512, 256];
    const planner: Planner = {
      totalSteps: undefined,
      next: () => {
        const memoryMb = steps.shift();
        return memoryMb === undefined ? undefined : { memoryMb, invocations: 2 };
      },
    };
    await runSweep({
      target,
      planner,
      payload: "{}",
      concurrency: 1,
      pauseMs: 150,
      now: () => clock,
      sleep: async (ms) => {
        slept.push(ms);
        clock += ms;
      },
    });
    for (const memoryMb of [256, 512]) {
      const at = spans.filter(([m]) => m === memoryMb);
      for (let i = 1; i < at.length; i++) {
        assert.ok(at[i]![1] - at[i - 1]![2] >= 150, `${memoryMb} MB call ${i} started too soon`);
      }
    }
    // Between calls at one size only: none before 512 MB's first call, none after the last, and
    // none before 256 MB's third step, which the 512 MB step already kept 170 ms apart.
    assert.equal(slept.length, 5);
    assert.ok(slept.every((ms) => ms > 0 && ms <= 150));
  });

  it("with concurrency, pauses each worker after its own previous call; without a pause, never waits", async () => {
    const slept: number[] = [];
    const sleep = async (ms: number) => {
      slept.push(ms);
    };
    const planner = () => createFixedGridPlanner({ sizes: [256], invocationsPerSize: 6 });
    await runSweep({
      target: replay(),
      planner: planner(),
      payload: "{}",
      concurrency: 2,
      pauseMs: 40,
      sleep,
    });
    assert.deepEqual(
      slept.map((ms) => Math.round(ms)),
      [40, 40, 40, 40],
    );
    slept.length = 0;
    await runSweep({ target: replay(), planner: planner(), payload: "{}", concurrency: 2, sleep });
    assert.deepEqual(slept, []);
    await assert.rejects(
      runSweep({
        target: replay(),
        planner: planner(),
        payload: "{}",
        concurrency: 1,
        pauseMs: -1,
      }),
      RangeError,
    );
  });

  it("really waits the pause between calls (real clock, generous bound)", async () => {
    const started = performance.now();
    await runSweep({
      target: replay(),
      planner: createFixedGridPlanner({ sizes: [256], invocationsPerSize: 3 }),
      payload: "{}",
      concurrency: 1,
      pauseMs: 30,
    });
    // Timers may fire up to a millisecond early; two pauses take well over 50 ms all the same.
    assert.ok(performance.now() - started >= 50, "two pauses of 30 ms");
  });

  it("releases the size and propagates a target's exception, starting nothing after it", async () => {
    const target = new WatchedTarget(replay(), 5);
    await assert.rejects(
      runSweep({
        target,
        planner: createFixedGridPlanner({ sizes: [128, 256], invocationsPerSize: 20 }),
        payload: "{}",
        concurrency: 2,
      }),
      /invocation 5 broke/,
    );
    assert.deepEqual(target.prepared, [128]);
    assert.deepEqual(target.released, [128]);
    assert.deepEqual(target.inFlightAtRelease, [0]);
    assert.ok(target.started <= 6, `started ${target.started}`);
  });

  it("stops on abort after the invocations in flight and releases the size", async () => {
    const target = new WatchedTarget(replay());
    const controller = new AbortController();
    await assert.rejects(
      runSweep({
        target,
        planner: createFixedGridPlanner({ sizes: [128, 256], invocationsPerSize: 20 }),
        payload: "{}",
        concurrency: 3,
        signal: controller.signal,
        onProgress: (event) => {
          if (event.type === "invocation" && event.done === 4) controller.abort();
        },
      }),
      { name: "AbortError" },
    );
    assert.deepEqual(target.released, [128]);
    assert.deepEqual(target.inFlightAtRelease, [0]);
    assert.ok(target.started < 20);
  });
});
