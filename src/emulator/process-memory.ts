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
