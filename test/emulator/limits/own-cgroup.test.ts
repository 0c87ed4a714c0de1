// @serial: it measures CPU time or memory under real limits, so it runs alone (scripts/run-tests.mjs).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ownCgroupV1Directory,
  ownCgroupV2Directory,
  parseProcSelfCgroup,
} from "../../../src/emulator/limits/own-cgroup.js";

const HYBRID_CGROUP = `9:name=systemd:/
4:memory:/process_api/abc
2:cpuacct:/
1:cpu:/
0::/
`;
const HYBRID_MOUNTS = `32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
`;

test("v1 directories follow the process's own cgroup in each hierarchy", () => {
  assert.equal(
    ownCgroupV1Directory("memory", HYBRID_CGROUP, HYBRID_MOUNTS),
    "/sys/fs/cgroup/memory/process_api/abc",
  );
  assert.equal(ownCgroupV1Directory("cpu", HYBRID_CGROUP, HYBRID_MOUNTS), "/sys/fs/cgroup/cpu");
  assert.equal(ownCgroupV1Directory("pids", HYBRID_CGROUP, HYBRID_MOUNTS), undefined);
  assert.equal(ownCgroupV2Directory(HYBRID_CGROUP, HYBRID_MOUNTS), "/sys/fs/cgroup/unified");
});

test("combined v1 hierarchies (cpu,cpuacct) are found by either controller", () => {
  const cgroup = "3:cpu,cpuacct:/user.slice\n";
  const mounts = "25 24 0:22 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n";
  assert.deepEqual(parseProcSelfCgroup(cgroup)[0]?.controllers, ["cpu", "cpuacct"]);
  assert.equal(
    ownCgroupV1Directory("cpu", cgroup, mounts),
    "/sys/fs/cgroup/cpu,cpuacct/user.slice",
  );
});

test("a mount of a sub-tree (containers) maps the path relative to its root", () => {
  const cgroup = "0::/docker/abc/app\n";
  const mounts = "50 40 0:26 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n";
  assert.equal(ownCgroupV2Directory(cgroup, mounts), "/sys/fs/cgroup/app");
  assert.equal(ownCgroupV2Directory("0::/elsewhere\n", mounts), undefined);
});

test("escaped mount points are decoded", () => {
  const mounts = "41 31 0:38 / /mnt/with\\040space rw - cgroup2 cgroup2 rw\n";
  assert.equal(ownCgroupV2Directory("0::/a\n", mounts), "/mnt/with space/a");
});
