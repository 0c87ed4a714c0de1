// @serial: it measures CPU time or memory under real limits, so it runs alone (scripts/run-tests.mjs).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { readOwnCgroupFiles, selectLimitBackend } from "../../../src/emulator/limits/detect.js";
import { ownCgroupV1Directory } from "../../../src/emulator/limits/own-cgroup.js";
import { UsageError } from "../../../src/errors.js";
import { isolationWarnings } from "../../../src/targets/local/local-target.js";
import { selectForThisProcess } from "./select.js";

const root = process.getuid?.() === 0;
const NO_CGROUPS = { procSelfCgroup: "", mountInfo: "", hostCores: 2, pid: process.pid };

test("auto picks cgroup v1 here (root, v1 cpu and memory, no v2 controllers) and says why not v2", {
  skip: !root && "needs root",
}, async (t) => {
  const backend = await selectForThisProcess("auto");
  try {
    t.diagnostic(`${backend.kind}: ${backend.fallbackReason}`);
    if (backend.kind === "cgroup-v2") return;
    assert.equal(backend.kind, "cgroup-v1");
    assert.match(backend.fallbackReason ?? "", /^cgroup v2: .*; using cgroup v1$/);
  } finally {
    await backend.dispose();
  }
});

test("the user-space throttle can be forced", { skip: process.platform !== "linux" }, async () => {
  const backend = await selectForThisProcess("user-space-throttle");
  assert.equal(backend.kind, "user-space-throttle");
  assert.equal(backend.fallbackReason, undefined);
  await backend.dispose();
});

test("forcing an unavailable backend is a usage error naming the fix", async () => {
  const error = await selectLimitBackend({
    ...NO_CGROUPS,
    platform: "linux",
    prefer: "cgroup-v1",
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof UsageError);
  assert.equal(error.exitCode, 2);
  assert.match(
    error.message,
    /--isolation cgroup-v1 is not available here: cgroup v1: no cpu hierarchy/,
  );
  assert.match(error.hint ?? "", /--isolation auto/);
});

test("without cgroups auto falls back to the throttle, and without /proc to none, each saying why", async () => {
  const throttle = await selectLimitBackend({ ...NO_CGROUPS, platform: process.platform });
  if (process.platform === "linux") {
    assert.equal(throttle.kind, "user-space-throttle");
    assert.equal(
      throttle.fallbackReason,
      "cgroup v2: no unified hierarchy for this process; cgroup v1: no cpu hierarchy is mounted for this process; using the user-space throttle",
    );
  }
  await throttle.dispose();
  const none = await selectLimitBackend({ ...NO_CGROUPS, platform: "darwin" });
  assert.equal(none.kind, "none");
  assert.match(none.fallbackReason ?? "", /needs Linux .*durations do not reflect the memory size/);
  await none.dispose();
});

test("a non-root user falls back to the user-space throttle, naming the permission error", {
  skip: !root && "needs root to switch to nobody",
}, (t) => {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "test/emulator/limits/select-as-user.ts"],
    {
      uid: 65534,
      gid: 65534,
      encoding: "utf8",
      env: { ...process.env, HOME: "/tmp" },
    },
  );
  if (result.status !== 0) {
    t.skip(`could not run as nobody: ${result.stderr.trim().split("\n").at(-1)}`);
    return;
  }
  const chosen = JSON.parse(result.stdout) as { kind: string; fallbackReason?: string };
  t.diagnostic(`${chosen.kind}: ${chosen.fallbackReason}`);
  assert.equal(chosen.kind, "user-space-throttle");
  assert.match(
    chosen.fallbackReason ?? "",
    /cgroup v1 cpu controller not writable: EACCES on \/sys\/fs\/cgroup\/cpu.*; using the user-space throttle$/,
  );
});

test("a cgroup backend names a host kernel that does not tick at 250 Hz", {
  skip: !root && "needs root",
}, async (t) => {
  const backend = await selectLimitBackend({
    ...readOwnCgroupFiles(),
    kernelConfig: "CONFIG_HZ=1000\n",
    hostCores: 2,
    pid: process.pid,
    platform: process.platform,
  });
  try {
    if (!backend.kind.startsWith("cgroup")) {
      t.skip(`no cgroup backend here: ${backend.fallbackReason}`);
      return;
    }
    assert.equal(backend.notes?.length, 1);
    const warnings = isolationWarnings(backend, 2, [128, 1024]);
    assert.ok(warnings.some((w) => /ticks at 1000 Hz.*every 1 ms instead of 4 ms/.test(w)));
  } finally {
    await backend.dispose();
  }
  const here = await selectForThisProcess("auto");
  t.diagnostic(`this host: ${JSON.stringify(here.notes)}`);
  await here.dispose();
});

test("a cgroup that refuses Lambda's CPU quota falls back to the user-space throttle and says so", {
  skip: !root && "needs root",
}, async (t) => {
  // A container given half a core: the tool's groups below it cannot have two cores.
  const own = ownCgroupV1Directory(
    "cpu",
    readFileSync("/proc/self/cgroup", "utf8"),
    readFileSync("/proc/self/mountinfo", "utf8"),
  );
  if (own === undefined) {
    t.skip("no cgroup v1 cpu hierarchy here");
    return;
  }
  const limited = `${own}/lambda-tune-test-${process.pid}`;
  mkdirSync(limited);
  try {
    writeFileSync(`${limited}/cpu.cfs_period_us`, "100000");
    writeFileSync(`${limited}/cpu.cfs_quota_us`, "50000");
    const result = spawnSync(
      "/bin/sh",
      [
        "-c",
        `echo $$ > ${limited}/cgroup.procs && exec "$0" --import tsx test/emulator/limits/select-as-user.ts`,
        process.execPath,
      ],
      { encoding: "utf8" },
    );
    assert.equal(result.status, 0, result.stderr);
    const chosen = JSON.parse(result.stdout) as { kind: string; fallbackReason?: string };
    t.diagnostic(`${chosen.kind}: ${chosen.fallbackReason}`);
    assert.equal(chosen.kind, "user-space-throttle");
    assert.match(
      chosen.fallbackReason ?? "",
      /cgroup v1: the kernel refuses Lambda's CPU limits below .*lambda-tune-test-\d+\/lambda-tune-\d+: cpu\.cfs_quota_us refused \d+ \(EINVAL\); using the user-space throttle$/,
    );
  } finally {
    rmdirSync(limited);
  }
});
