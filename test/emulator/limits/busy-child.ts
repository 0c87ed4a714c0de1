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

export function allocateInGroup(group: LimitGroup, megabytes: number): Promise<ChildOutcome> {
  return runInGroup(group, ALLOCATE_SCRIPT, [String(megabytes)]);
}
