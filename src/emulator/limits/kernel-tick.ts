/**
 * The host kernel's scheduler tick, which is where cgroup CPU quotas are
 * checked: Lambda's guest kernel ticks at 250 Hz, every 4 ms (docs/lambda-facts.md,
 * "CPU throttling"), and throttled durations move in its steps.
 */
import { readFileSync } from "node:fs";
import { release } from "node:os";
import { gunzipSync } from "node:zlib";

export const LAMBDA_KERNEL_HZ = 250;

/** CONFIG_HZ of a kernel configuration (the text of /boot/config-* or /proc/config.gz). */
export function parseKernelHz(config: string): number | undefined {
  const match = /^CONFIG_HZ=(\d+)$/m.exec(config);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** The running kernel's configuration: /boot/config-$(uname -r), else /proc/config.gz; "" when neither is readable. */
export function readKernelConfig(kernelRelease = release()): string {
  try {
    return readFileSync(`/boot/config-${kernelRelease}`, "utf8");
  } catch {}
  try {
    return gunzipSync(readFileSync("/proc/config.gz")).toString("utf8");
  } catch {}
  return "";
}

/**
 * What a cgroup backend cannot reproduce because of the host's tick, in
 * words; undefined when the kernel ticks at 250 Hz as Lambda's does.
 */
export function kernelTickWarning(config: string): string | undefined {
  const hz = parseKernelHz(config);
  if (hz === LAMBDA_KERNEL_HZ) return undefined;
  if (hz === undefined) {
    return (
      "the host kernel's tick (CONFIG_HZ) is unknown: neither /boot/config-$(uname -r) nor /proc/config.gz is readable; " +
      "Lambda checks the CPU quota every 4 ms (250 Hz), and throttled durations here follow whatever this kernel ticks at"
    );
  }
  const tickMs = 1000 / hz;
  return (
    `the host kernel ticks at ${hz} Hz, not Lambda's 250 Hz: the CPU quota is checked every ${Number(tickMs.toFixed(2))} ms instead of 4 ms, ` +
    `so throttled durations move in ~${Number(tickMs.toFixed(1))} ms steps and the CFS staircase differs from Lambda's ` +
    "(use --isolation user-space-throttle, which checks every 4 ms, to reproduce it)"
  );
}
