/**
 * Worker entry of the user-space throttle: runs the loop off the tool's event
 * loop. It starts before the sandbox is spawned and waits for its pid, so the
 * sandbox is throttled from its first period (a worker takes ~30-300 ms to boot).
 */
import { parentPort, workerData } from "node:worker_threads";
import { processGroupIo, ThrottleSharedState } from "./throttle-io.js";
import { runThrottleLoop, type ThrottleSettings } from "./throttle-loop.js";

const { settings, buffer } = workerData as {
  settings: ThrottleSettings;
  buffer: SharedArrayBuffer;
};
const state = new ThrottleSharedState(buffer);
parentPort?.postMessage("ready");
const pgid = state.waitForProcessGroup();
try {
  // Atomics.wait sleeps with ~0.1 ms precision where setTimeout has ~1 ms, and wakes on dispose.
  if (pgid !== undefined)
    await runThrottleLoop(
      settings,
      processGroupIo(pgid, state, (ms) => state.waitForStop(ms)),
    );
} finally {
  state.markFinished();
}
