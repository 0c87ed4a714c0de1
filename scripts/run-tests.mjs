#!/usr/bin/env node
// Runs every test/**/*.test.ts with node:test through tsx. Node 20's --test
// does not expand globs itself, so the files are listed here. Files run three
// at a time on two cores (each is its own process, and most wait on processes
// or I/O), except those that measure CPU time under limits: a file marked
// `@serial` in its first lines runs alone afterwards, so a neighbour cannot
// take its CPU.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "fixtures" ? [] : find(path);
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

function serial(file) {
  return readFileSync(file, "utf8")
    .split("\n")
    .slice(0, 5)
    .some((line) => line.includes("@serial"));
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : find("test").sort();
const env = {
  ...process.env,
  NO_COLOR: "1",
  // FORCE_COLOR would win over NO_COLOR; the tests read plain text unless they ask.
  FORCE_COLOR: undefined,
  // The SDK's notice that its 2027 releases need Node.js 22 is noise in test output.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
};

function run(group, concurrency) {
  if (group.length === 0) return 0;
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, ...group],
    { stdio: "inherit", env },
  );
  return result.status ?? 1;
}

// Most files wait on processes and sockets, not the CPU: one more than the cores keeps both busy.
const parallel = Math.max(1, Math.min(3, availableParallelism() + 1));
const together = files.filter((file) => !serial(file));
const alone = files.filter(serial);
const status = [run(together, parallel), run(alone, 1)];
process.exit(status.find((code) => code !== 0) ?? 0);
