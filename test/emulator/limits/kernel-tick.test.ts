import assert from "node:assert/strict";
import { test } from "node:test";
import {
  kernelTickWarning,
  parseKernelHz,
  readKernelConfig,
} from "../../../src/emulator/limits/kernel-tick.js";

test("CONFIG_HZ is read from a kernel configuration", () => {
  assert.equal(parseKernelHz("# CONFIG_HZ_100 is not set\nCONFIG_HZ_250=y\nCONFIG_HZ=250\n"), 250);
  assert.equal(parseKernelHz("CONFIG_HZ=1000"), 1000);
  assert.equal(parseKernelHz("CONFIG_HZ_PERIODIC=y\n"), undefined);
  assert.equal(parseKernelHz(""), undefined);
});

test("a kernel that ticks at 250 Hz, as Lambda's, needs no warning", () => {
  assert.equal(kernelTickWarning("CONFIG_HZ=250\n"), undefined);
});

test("another tick is named with its consequence", () => {
  const warning = kernelTickWarning("CONFIG_HZ=1000\n") ?? "";
  assert.match(warning, /ticks at 1000 Hz, not Lambda's 250 Hz/);
  assert.match(warning, /checked every 1 ms instead of 4 ms/);
  assert.match(warning, /staircase differs/);
  assert.match(kernelTickWarning("CONFIG_HZ=300\n") ?? "", /every 3\.33 ms/);
  assert.match(kernelTickWarning("") ?? "", /CONFIG_HZ\) is unknown/);
});

test("this host's configuration is found (/boot or /proc/config.gz)", (t) => {
  const config = readKernelConfig();
  if (config === "") {
    t.skip("no kernel configuration readable here");
    return;
  }
  const hz = parseKernelHz(config);
  t.diagnostic(`CONFIG_HZ=${hz}`);
  assert.ok(hz !== undefined && [100, 250, 300, 1000].includes(hz));
});
