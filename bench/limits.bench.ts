// Accuracy of each available limit backend: the CPU share a busy child gets
// at a few memory sizes, against the share Lambda gives them.
import { availableParallelism } from "node:os";
import { cpuCoresForMemory } from "../src/emulator/limits/cpu-for-memory.js";
import { readOwnCgroupFiles, selectLimitBackend } from "../src/emulator/limits/detect.js";
import type { IsolationKind, LimitBackend } from "../src/emulator/limits/types.js";
import type { ThrottleControlLoop } from "../src/emulator/limits/user-space-throttle.js";
import { busyCpuFraction } from "../test/emulator/limits/busy-child.js";

const SIZES_MB = [128, 512, 1024, 1769];
const BUSY_MS = 1500;

const CANDIDATES: { label: string; kind: IsolationKind; loop?: ThrottleControlLoop }[] = [
  { label: "cgroup-v2", kind: "cgroup-v2" },
  { label: "cgroup-v1", kind: "cgroup-v1" },
  { label: "user-space-throttle (worker)", kind: "user-space-throttle", loop: "worker" },
  { label: "user-space-throttle (event loop)", kind: "user-space-throttle", loop: "event-loop" },
];

async function tryBackend(
  kind: IsolationKind,
  loop?: ThrottleControlLoop,
): Promise<LimitBackend | string> {
  try {
    return await selectLimitBackend({
      prefer: kind,
      hostCores: availableParallelism(),
      pid: process.pid,
      platform: process.platform,
      ...readOwnCgroupFiles(),
      ...(loop ? { throttleControlLoop: loop } : {}),
    });
  } catch (error) {
    return (error as Error).message;
  }
}

/** Blocks the tool's own event loop 5 ms in every 10, as a busy HTTP server might. */
function busyEventLoop(): () => void {
  const timer = setInterval(() => {
    const end = performance.now() + 5;
    while (performance.now() < end);
  }, 10);
  return () => clearInterval(timer);
}

async function throttleUnderLoad(hostCores: number): Promise<void> {
  const cores = cpuCoresForMemory(512, hostCores).cores;
  console.log(`user-space throttle, 512 MB, while the tool's event loop is busy 50% of the time`);
  for (const loop of ["worker", "event-loop"] as const) {
    const backend = await tryBackend("user-space-throttle", loop);
    if (typeof backend === "string") return;
    const stop = busyEventLoop();
    try {
      const group = await backend.createGroup("bench-load", {
        memoryMb: 1024,
        cpuCores: cores,
        periodMs: 20,
        tickMs: 4,
      });
      const got = await busyCpuFraction(group, BUSY_MS);
      await group.dispose();
      const error = ((got - cores) / cores) * 100;
      console.log(
        `  ${loop.padEnd(10)}  target ${cores.toFixed(3)} core  got ${got.toFixed(3)}  (${error >= 0 ? "+" : ""}${error.toFixed(1)}%)`,
      );
    } finally {
      stop();
      await backend.dispose();
    }
  }
}

export async function run(): Promise<void> {
  const hostCores = availableParallelism();
  console.log(`host: ${hostCores} cores; busy child for ${BUSY_MS} ms per size`);
  for (const { label, kind, loop } of CANDIDATES) {
    const backend = await tryBackend(kind, loop);
    if (typeof backend === "string") {
      console.log(`${label}: skipped (${backend})`);
      continue;
    }
    console.log(label);
    try {
      for (const memoryMb of SIZES_MB) {
        const { cores } = cpuCoresForMemory(memoryMb, hostCores);
        const group = await backend.createGroup(`bench-${memoryMb}`, {
          memoryMb: 1024,
          cpuCores: cores,
          periodMs: 20,
          tickMs: 4,
        });
        try {
          const got = await busyCpuFraction(group, BUSY_MS);
          const error = ((got - cores) / cores) * 100;
          console.log(
            `  ${String(memoryMb).padStart(5)} MB  target ${cores.toFixed(3)} core  got ${got.toFixed(3)}  (${error >= 0 ? "+" : ""}${error.toFixed(1)}%)`,
          );
        } finally {
          await group.dispose();
        }
      }
    } finally {
      await backend.dispose();
    }
  }
  await throttleUnderLoad(hostCores);
}
