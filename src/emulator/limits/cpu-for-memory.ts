import { CFS_PERIOD_MS, SCHEDULER_TICK_MS, vcpusForMemory } from "../../lambda.js";
import type { SandboxLimits } from "./types.js";

/**
 * The CPU Lambda gives a memory size, in cores, limited to what this host has.
 * `capped` is true when Lambda would give more than the host can, so the caller
 * can warn ("asked for 2.9 vCPU; this host has 2 cores; CPU capped").
 */
export function cpuCoresForMemory(
  memoryMb: number,
  hostCores: number,
): { cores: number; lambdaCores: number; capped: boolean } {
  if (!(memoryMb > 0)) throw new RangeError(`memoryMb must be positive, got ${memoryMb}`);
  if (!(hostCores > 0)) throw new RangeError(`hostCores must be positive, got ${hostCores}`);
  const lambdaCores = vcpusForMemory(memoryMb);
  const cores = Math.min(lambdaCores, hostCores);
  return { cores, lambdaCores, capped: cores < lambdaCores };
}

export function limitsForMemory(memoryMb: number, hostCores: number): SandboxLimits {
  return {
    memoryMb,
    cpuCores: cpuCoresForMemory(memoryMb, hostCores).cores,
    periodMs: CFS_PERIOD_MS,
    tickMs: SCHEDULER_TICK_MS,
  };
}
