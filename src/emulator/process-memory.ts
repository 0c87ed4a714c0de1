import { readFileSync } from "node:fs";

/** Peak resident set (VmHWM) of a live process, in bytes, or undefined when it cannot be read. */
export function peakResidentBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

/**
 * V8 heap bounds Lambda's Node.js runtime derives from the memory size
 * (its /var/runtime/bootstrap: new space = memory / 10, semi space = half of
 * it, old space = memory - new space).
 */
export function nodeHeapFlags(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [
    `--max-semi-space-size=${Math.floor(newSpace / 2)}`,
    `--max-old-space-size=${memoryMb - newSpace}`,
  ];
}
