import type { SandboxLimits } from "./types.js";

// LAMBDA-FACTS: 1,769 MB is one full vCPU; the maximum is 6 vCPUs (at 10,240 MB).
const MB_PER_VCPU = 1769;
const LAMBDA_MAX_VCPUS = 6;
// LAMBDA-FACTS.md, "CPU throttling in detail": a 20 ms CFS period, checked at a 4 ms tick (HZ=250).
export const LAMBDA_CFS_PERIOD_MS = 20;
export const LAMBDA_TICK_MS = 4;

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
  const lambdaCores = Math.min(memoryMb / MB_PER_VCPU, LAMBDA_MAX_VCPUS);
  const cores = Math.min(lambdaCores, hostCores);
  return { cores, lambdaCores, capped: cores < lambdaCores };
}

export function limitsForMemory(memoryMb: number, hostCores: number): SandboxLimits {
  return {
    memoryMb,
    cpuCores: cpuCoresForMemory(memoryMb, hostCores).cores,
    periodMs: LAMBDA_CFS_PERIOD_MS,
    tickMs: LAMBDA_TICK_MS,
  };
}
