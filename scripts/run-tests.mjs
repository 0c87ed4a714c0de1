#!/usr/bin/env node
// Runs every test/**/*.test.ts with node:test through tsx. Node 20's --test
// does not expand globs itself, so the files are listed here.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "fixtures" ? [] : find(path);
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : find("test").sort();
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=1", ...files],
  {
    stdio: "inherit",
    // The SDK's notice that its 2027 releases need Node.js 22 is noise in test output.
    env: {
      ...process.env,
      NO_COLOR: "1",
      FORCE_COLOR: undefined,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
  },
);
process.exit(result.status ?? 1);
