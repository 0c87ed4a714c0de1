/** Real child processes for the limit tests and the bench: a busy loop and a memory hog. */
import { spawn } from "node:child_process";
import type { LimitGroup } from "../../../src/emulator/limits/types.js";

const BUSY_SCRIPT = `
const end = Date.now() + Number(process.argv[1]);
let x = 0;
while (Date.now() < end) x++;
const usage = process.cpuUsage();
process.stdout.write(JSON.stringify({ cpuMs: (usage.user + usage.system) / 1000, wallMs: performance.now() }));
`;

// Idles, then spins, `cycles` times, noting every stretch of a spin it did not
// run for more than 0.3 ms, on CLOCK_MONOTONIC.
const TRACE_SCRIPT = `
const [idleMs, busyMs, cycles] = process.argv.slice(1).map(Number);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const windows = [];
function spin() {
  const start = now();
  const cpu0 = process.cpuUsage();
  const gaps = [];
  let last = start;
  for (let t = start; t - start < busyMs; t = now()) {
    if (t - last > 0.3) gaps.push([last, t]);
    last = t;
  }
  const cpu = process.cpuUsage(cpu0);
  windows.push({ start, end: last, cpuMs: (cpu.user + cpu.system) / 1000, gaps });
  if (windows.length < cycles) setTimeout(spin, idleMs);
  else process.stdout.write(JSON.stringify(windows));
}
setTimeout(spin, idleMs);
`;

const ALLOCATE_SCRIPT = `
const buffer = Buffer.alloc(Number(process.argv[1]) * 2 ** 20, 1);
process.stdout.write(JSON.stringify({ allocated: buffer.length }));
`;

export interface ChildOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Spawns `node -e script` through the group's launch wrapper, detached so its pid is its group. */
export function runInGroup(
  group: LimitGroup,
  script: string,
  args: readonly string[],
): Promise<ChildOutcome> {
  const { command, args: wrapped } = group.launch(process.execPath, ["-e", script, ...args]);
  const child = spawn(command, wrapped, { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  if (child.pid === undefined) throw new Error("spawn failed");
  group.attach(child.pid);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Fraction of one core a busy child got over its life (startup included). */
export async function busyCpuFraction(group: LimitGroup, busyMs: number): Promise<number> {
  const outcome = await runInGroup(group, BUSY_SCRIPT, [String(busyMs)]);
  if (outcome.code !== 0) throw new Error(`busy child failed: ${JSON.stringify(outcome)}`);
  const { cpuMs, wallMs } = JSON.parse(outcome.stdout) as { cpuMs: number; wallMs: number };
  return cpuMs / wallMs;
}

/** When a spinning child ran and when it was held back, on CLOCK_MONOTONIC (ms). */
export interface SpinWindow {
  start: number;
  end: number;
  cpuMs: number;
  /** Stretches of more than 0.3 ms in which it did not run: throttled, or the host was busy. */
  gaps: [from: number, to: number][];
}

/** Runs a child in the group that, `cycles` times, idles `idleMs` and then spins `busyMs`. */
export async function traceInGroup(
  group: LimitGroup,
  idleMs: number,
  busyMs: number,
  cycles: number,
): Promise<SpinWindow[]> {
  const args = [idleMs, busyMs, cycles].map(String);
  const outcome = await runInGroup(group, TRACE_SCRIPT, args);
  if (outcome.code !== 0) throw new Error(`tracing child failed: ${JSON.stringify(outcome)}`);
  return JSON.parse(outcome.stdout) as SpinWindow[];
}

export function allocateInGroup(group: LimitGroup, megabytes: number): Promise<ChildOutcome> {
  return runInGroup(group, ALLOCATE_SCRIPT, [String(megabytes)]);
}
