// @serial: it measures CPU time or memory under real limits, so it runs alone (scripts/run-tests.mjs).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  cgroupLaunchWrapper,
  parseKeyedCounters,
} from "../../../src/emulator/limits/cgroup-dir.js";
import { cgroupV1Settings } from "../../../src/emulator/limits/cgroup-v1.js";
import {
  cgroupV2Settings,
  oomKillsFromMemoryEvents,
} from "../../../src/emulator/limits/cgroup-v2.js";

const limits128 = { memoryMb: 128, cpuCores: 128 / 1769, periodMs: 20, tickMs: 4 };
const limits3538 = { memoryMb: 3538, cpuCores: 2, periodMs: 20, tickMs: 4 };

test("cgroup v1: 20 ms period, quota of the core share, memory and swap limits in bytes", () => {
  assert.deepEqual(cgroupV1Settings(limits128), {
    cpu: [
      ["cpu.cfs_period_us", "20000"],
      ["cpu.cfs_quota_us", "1447"],
    ],
    memory: [
      ["memory.limit_in_bytes", String(128 * 2 ** 20)],
      ["memory.memsw.limit_in_bytes", String(128 * 2 ** 20)],
      ["memory.swappiness", "0"],
    ],
  });
  assert.deepEqual(cgroupV1Settings(limits3538).cpu[1], ["cpu.cfs_quota_us", "40000"]);
  assert.deepEqual(cgroupV1Settings({ ...limits128, cpuCores: 0.01 }).cpu[1], [
    "cpu.cfs_quota_us",
    "1000",
  ]);
});

test("cgroup v2: cpu.max as 'quota period', memory.max, no swap, whole-group OOM", () => {
  assert.deepEqual(cgroupV2Settings(limits128), [
    ["cpu.max", "1447 20000"],
    ["memory.max", String(128 * 2 ** 20)],
    ["memory.swap.max", "0"],
    ["memory.oom.group", "1"],
  ]);
  assert.equal(cgroupV2Settings(limits3538)[0]?.[1], "40000 20000");
});

test("memory.events and memory.oom_control counters are parsed", () => {
  const events = "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 1\n";
  assert.equal(oomKillsFromMemoryEvents(events), 1);
  assert.equal(oomKillsFromMemoryEvents("low 0\nmax 0\noom 0\n"), 0);
  const oomControl = parseKeyedCounters("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
  assert.equal(oomControl.get("oom_kill"), 3);
});

test("the launch wrapper writes its own pid to every procs file, then execs the command", () => {
  const dir = mkdtempSync(join(tmpdir(), "lambda-tune-wrapper-it's-"));
  try {
    const files = [join(dir, "a"), join(dir, "b")];
    for (const file of files) writeFileSync(file, "");
    const { command, args } = cgroupLaunchWrapper(files, "/bin/sh", [
      "-c",
      'echo "$$ $1"',
      "x",
      "arg with 'quotes'",
    ]);
    const result = spawnSync(command, args, { encoding: "utf8" });
    const [pid, ...rest] = result.stdout.trim().split(" ");
    assert.equal(rest.join(" "), "arg with 'quotes'");
    for (const file of files) assert.equal(readFileSync(file, "utf8").trim(), pid);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("the launch wrapper refuses to run the command when it cannot join the group", () => {
  const { command, args } = cgroupLaunchWrapper(["/nonexistent/cgroup.procs"], "/bin/echo", [
    "ran",
  ]);
  const result = spawnSync(command, args, { encoding: "utf8" });
  assert.notEqual(result.status, 0);
  assert.equal(result.stdout, "");
});
