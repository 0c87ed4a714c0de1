// Figures for issue 13, from real processes: `lambda-tune emulate`, `lambda-tune run`
// and `restore` as a user runs them (the built CLI: `npm run build` first), signals
// sent with kill(2), other people's changes made with the AWS CLI (or the SDK).
//
// - kill matrix: 13 moments x SIGINT/SIGTERM/SIGKILL, then `restore`: the share
//   left exactly as found (configuration, versions, no journal); goal 39/39. And
//   the signal while a change is still on its way (Lambda takes it up after the
//   run restored): 2 moments x 3 signals.
// - concurrent changes early, between an update and its publish, and late: the
//   share where the other change survives, the run's own settings are gone, and
//   the run exits 4; goal all.
// - fault matrix: 429/500/409/drop/drop-after-run on each operation at 30%: the
//   share the run itself restored, the share whose tuningCost counts every
//   invocation the log shows (what an account is billed); goal all.
// - orphans and cgroups left after 5 SIGKILLs of `lambda-tune run` per isolation
//   backend, and after the next start; goal 0.
//
// SAFETY_ONLY=kill,inflight,concurrent,faults,orphans runs some sections only.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import {
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from "@aws-sdk/client-lambda";
import type { FaultKind } from "../src/emulator/api/faults.js";
import type { IsolationKind } from "../src/emulator/limits/types.js";
import { totalCost } from "../src/model/cost.js";
import { backendOrReason } from "../test/emulator/limits/select.js";
import {
  CREDENTIALS,
  cgroupsOf,
  cli,
  cliEnv,
  EmulateProcess,
  type Finished,
  processesWith,
  ROOT,
  until,
} from "./safety-harness.js";

const NOOP = "fixtures/functions/noop/index.handler";
const RUN = ["--memory", "128,256", "-n", "4", "--concurrency", "1", "--json", "-q"];

function share(ok: number, all: number): string {
  return `${ok}/${all}`;
}

async function runTo(
  emu: EmulateProcess,
  name: string,
  extra: readonly string[] = RUN,
): Promise<{ finished: Promise<Finished>; kill: (signal: NodeJS.Signals) => void }> {
  const { child, finished } = cli(
    ["run", name, "--target", "aws", "--endpoint-url", emu.url, ...extra],
    cliEnv(emu.stateDir),
  );
  return { finished, kill: (signal) => child.kill(signal) };
}

async function withTimeout(finished: Promise<Finished>, ms: number): Promise<Finished | undefined> {
  return Promise.race([finished, sleep(ms).then(() => undefined)]);
}

// ---------------------------------------------------------------- kill matrix

/** A moment: the run is waiting for the answer to the nth call of an operation, which has run. */
const MOMENTS: [label: string, operation: string, nth: number][] = [
  ["reading the configuration, nothing changed", "GetFunctionConfiguration", 1],
  ["first update applied, not yet journaled", "UpdateFunctionConfiguration", 1],
  ["first update in progress (waiter)", "GetFunction", 1],
  ["first version published, not yet journaled", "PublishVersion", 1],
  ["first invocation ran, answer pending", "Invoke", 1],
  ["mid first size", "Invoke", 3],
  ["second update applied", "UpdateFunctionConfiguration", 2],
  ["second version published", "PublishVersion", 2],
  ["mid last size", "Invoke", 6],
  ["last invocation ran", "Invoke", 8],
  ["restore: configuration put back", "UpdateFunctionConfiguration", 3],
  ["restore: listing versions", "ListVersionsByFunction", 1],
  ["restore: first version deleted", "DeleteFunction", 1],
];
const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGKILL"];

async function killMatrix(): Promise<void> {
  const names = MOMENTS.flatMap((_, m) => SIGNALS.map((_, s) => `k${m}-${s}`));
  const emu = await EmulateProcess.start(names, NOOP);
  let exact = 0;
  const failures: string[] = [];
  try {
    for (const [m, [label, operation, nth]] of MOMENTS.entries()) {
      for (const [s, signal] of SIGNALS.entries()) {
        const name = `k${m}-${s}`;
        const before = await emu.snapshot(name);
        const base = (await emu.calls())[operation] ?? 0;
        await emu.inject({
          operation,
          kind: "delay-after-run",
          after: nth - 1,
          times: 1,
          delayMs: 2000,
        });
        const run = await runTo(emu, name);
        const reached = await until(
          async () => ((await emu.calls())[operation] ?? 0) >= base + nth,
          60_000,
        );
        run.kill(signal);
        const ended = await withTimeout(run.finished, 90_000);
        if (ended === undefined) run.kill("SIGKILL");
        await emu.clearFaults();
        const restore = await cli(
          ["restore", name, "--endpoint-url", emu.url],
          cliEnv(emu.stateDir),
        ).finished;
        const same = (await emu.snapshot(name)) === before && emu.journals().length === 0;
        const expectedCode = signal === "SIGINT" ? 130 : signal === "SIGTERM" ? 143 : null;
        const saidRestored =
          signal === "SIGKILL" ||
          /interrupted by SIG\w+; .* (was restored|was changed by someone else|was not changed)/.test(
            ended?.stderr ?? "",
          );
        if (reached && same && restore.code === 0 && ended?.code === expectedCode && saidRestored) {
          exact++;
        } else {
          failures.push(
            `${label} / ${signal}: reached ${reached}, exit ${ended?.code ?? ended?.signal ?? "hung"}, restore exit ${restore.code}, same ${same}, said restored ${saidRestored}${restore.code === 0 ? "" : `: ${restore.stderr.trim()}`}`,
          );
        }
      }
    }
  } finally {
    await emu.stop();
  }
  console.log(
    `kill matrix (13 moments x SIGINT/SIGTERM/SIGKILL, then restore): ${share(exact, 39)} exactly restored`,
  );
  for (const failure of failures) console.log(`  not: ${failure}`);
}

/**
 * Beyond the 13 moments: the signal comes while a change is on its way, and
 * Lambda takes it up only after the run has restored (held before it runs).
 */
async function inFlight(): Promise<void> {
  const moments: [label: string, operation: string, nth: number][] = [
    ["first update on its way", "UpdateFunctionConfiguration", 1],
    ["second publish on its way", "PublishVersion", 2],
  ];
  const names = moments.flatMap((_, m) => SIGNALS.map((_, s) => `i${m}-${s}`));
  const emu = await EmulateProcess.start(names, NOOP);
  let exact = 0;
  const failures: string[] = [];
  try {
    for (const [m, [label, operation, nth]] of moments.entries()) {
      for (const [s, signal] of SIGNALS.entries()) {
        const name = `i${m}-${s}`;
        const before = await emu.snapshot(name);
        const base = (await emu.calls())[operation] ?? 0;
        await emu.inject({ operation, kind: "delay", after: nth - 1, times: 1, delayMs: 2000 });
        const run = await runTo(emu, name);
        await until(async () => ((await emu.calls())[operation] ?? 0) >= base + nth, 60_000);
        run.kill(signal);
        const ended = await withTimeout(run.finished, 90_000);
        if (ended === undefined) run.kill("SIGKILL");
        // The held request lands now.
        await sleep(2500);
        await emu.clearFaults();
        const restore = await cli(
          ["restore", name, "--endpoint-url", emu.url],
          cliEnv(emu.stateDir),
        ).finished;
        const same = (await emu.snapshot(name)) === before && emu.journals().length === 0;
        if (same && restore.code === 0) exact++;
        else failures.push(`${label} / ${signal}: restore exit ${restore.code}, same ${same}`);
      }
    }
  } finally {
    await emu.stop();
  }
  console.log(
    `  and with a change still on its way (2 moments x 3 signals): ${share(exact, 6)} exactly restored`,
  );
  for (const failure of failures) console.log(`  not: ${failure}`);
}

// ---------------------------------------------------------- concurrent changes

const AWS_CLI = existsSync("/usr/bin/aws") ? "/usr/bin/aws" : undefined;

/** A colleague's change, with the AWS CLI when it is installed, waited out. */
async function colleague(
  emu: EmulateProcess,
  name: string,
  change: Record<string, string | number>,
) {
  if (AWS_CLI !== undefined) {
    const args = ["lambda", "update-function-configuration", "--function-name", name];
    if (change.MemorySize !== undefined) args.push("--memory-size", String(change.MemorySize));
    if (change.Description !== undefined) args.push("--description", String(change.Description));
    if (change.Timeout !== undefined) args.push("--timeout", String(change.Timeout));
    args.push("--endpoint-url", emu.url, "--output", "json");
    const result = spawnSync(AWS_CLI, args, { env: cliEnv(emu.stateDir), encoding: "utf8" });
    if (result.status !== 0) throw new Error(`aws ${args.join(" ")}: ${result.stderr}`);
  } else {
    await emu.admin.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, ...change }));
  }
  await waitUntilFunctionUpdatedV2(
    { client: emu.admin, maxWaitTime: 30, minDelay: 0.2 },
    { FunctionName: name },
  );
}

async function concurrentChanges(): Promise<void> {
  const moments: [label: string, operation: string, nth: number][] = [
    ["early (first size)", "Invoke", 2],
    ["between update and publish", "PublishVersion", 2],
    ["late (last size)", "Invoke", 8],
  ];
  const changes: [label: string, change: Record<string, string | number>][] = [
    ["memory", { MemorySize: 2048 }],
    ["memory + description", { MemorySize: 1536, Description: "hotfix" }],
    ["timeout", { Timeout: 60 }],
  ];
  const names = moments.flatMap((_, m) => changes.map((_, c) => `c${m}-${c}`));
  const emu = await EmulateProcess.start(names, NOOP);
  const perMoment = moments.map(() => 0);
  const failures: string[] = [];
  try {
    for (const [m, [label, operation, nth]] of moments.entries()) {
      for (const [c, [what, change]] of changes.entries()) {
        const name = `c${m}-${c}`;
        const base = (await emu.calls())[operation] ?? 0;
        // The run waits at that call while the colleague changes the function.
        await emu.inject({ operation, kind: "delay", after: nth - 1, times: 1, delayMs: 4000 });
        const run = await runTo(emu, name);
        await until(async () => ((await emu.calls())[operation] ?? 0) >= base + nth, 60_000);
        await colleague(emu, name, change);
        const ended = await withTimeout(run.finished, 90_000);
        await emu.clearFaults();
        const now = JSON.parse(await emu.snapshot(name)) as {
          config: { MemorySize: number; Description: string; Timeout: number };
          versions: string[];
        };
        const expected = { MemorySize: 512, Description: "", Timeout: 5, ...change };
        const kept =
          now.config.MemorySize === expected.MemorySize &&
          now.config.Description === expected.Description &&
          now.config.Timeout === expected.Timeout &&
          now.versions.length === 1 &&
          emu.journals().length === 0;
        if (kept && ended?.code === 4) perMoment[m] = (perMoment[m] ?? 0) + 1;
        else {
          failures.push(
            `${label}, ${what}: exit ${ended?.code ?? "hung"}, now ${JSON.stringify(now.config)} ${now.versions.length} versions: ${ended?.stderr.trim().split("\n").at(-1)}`,
          );
        }
      }
    }
  } finally {
    await emu.stop();
  }
  const by = AWS_CLI === undefined ? "the AWS SDK" : "the AWS CLI";
  console.log(
    `concurrent changes (with ${by}; their change kept, the run's own settings gone, exit 4):`,
  );
  for (const [m, [label]] of moments.entries()) {
    console.log(`  ${label}: ${share(perMoment[m] ?? 0, changes.length)}`);
  }
  for (const failure of failures) console.log(`  not: ${failure}`);
}

// ------------------------------------------------------------------ fault matrix

const FAULT_KINDS: FaultKind[] = ["429", "500", "409", "drop", "drop-after-run"];
const OPERATIONS = [
  "GetFunctionConfiguration",
  "UpdateFunctionConfiguration",
  "GetFunction",
  "PublishVersion",
  "Invoke",
  "FilterLogEvents",
  "ListVersionsByFunction",
  "DeleteFunction",
];

async function faultMatrix(): Promise<void> {
  const cells = OPERATIONS.flatMap((operation) => FAULT_KINDS.map((kind) => ({ operation, kind })));
  const emu = await EmulateProcess.start(
    cells.map((_, i) => `f${i}`),
    NOOP,
  );
  let restored = 0;
  let counted = 0;
  let clean = 0;
  const failures: string[] = [];
  try {
    for (const [i, { operation, kind }] of cells.entries()) {
      const name = `f${i}`;
      const before = await emu.snapshot(name);
      await emu.inject({ operation, kind, rate: 0.3, seed: i + 1 });
      const run = await runTo(emu, name, [
        "--memory",
        "128,256",
        "-n",
        "5",
        "--concurrency",
        "2",
        "--json",
        "-q",
      ]);
      const ended = await withTimeout(run.finished, 180_000);
      if (ended === undefined) run.kill("SIGKILL");
      await emu.clearFaults();
      const same = (await emu.snapshot(name)) === before && emu.journals().length === 0;
      if (same) restored++;
      let doc: { tuningCost: { invocations: number; usd: number }; pricing: never } | undefined;
      try {
        doc = JSON.parse(ended?.stdout ?? "");
      } catch {}
      const billed = await emu.billed(name);
      const usd = doc === undefined ? 0 : totalCost(billed, doc.pricing);
      const all =
        doc !== undefined &&
        doc.tuningCost.invocations === billed.length &&
        Math.abs(doc.tuningCost.usd - usd) <= Math.max(usd * 1e-6, 1e-12);
      if (all) counted++;
      const graceful =
        ended?.code === 0 || (ended?.code === 1 && !/unexpected failure/.test(ended.stderr));
      if (graceful) clean++;
      if (!same || !all || !graceful) {
        failures.push(
          `${kind} on ${operation}: exit ${ended?.code ?? "hung"}, restored ${same}, counted ${doc?.tuningCost.invocations ?? "-"} of ${billed.length} billed: ${(ended?.stderr ?? "").trim().split("\n").slice(-2).join(" | ")}`,
        );
      }
      // Each run leaves its journal to the next only if it failed to restore.
      if (!same) {
        await cli(["restore", name, "--endpoint-url", emu.url], cliEnv(emu.stateDir)).finished;
      }
    }
  } finally {
    await emu.stop();
  }
  console.log(
    `fault matrix (${FAULT_KINDS.join("/")} on ${OPERATIONS.length} operations at 30%, ${cells.length} runs): restored ${share(restored, cells.length)}, every paid invocation counted ${share(counted, cells.length)}, ended without a bug report ${share(clean, cells.length)}`,
  );
  for (const failure of failures) console.log(`  not: ${failure}`);
}

// ---------------------------------------------------------------------- orphans

const DETACHED = "fixtures/functions/detached-child/index.handler";
const MARK = `_HANDLER=${DETACHED}`;

async function orphans(): Promise<void> {
  const kinds: IsolationKind[] = ["cgroup-v2", "cgroup-v1", "user-space-throttle", "none"];
  console.log(
    "orphans and cgroups left after 5 SIGKILLs of `lambda-tune run` (busy handler, detached child):",
  );
  for (const kind of kinds) {
    const backend = await backendOrReason(kind);
    if (typeof backend === "string") {
      console.log(`  ${kind}: not available here`);
      continue;
    }
    await backend.dispose();
    const killed: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { child, finished } = cli(
        [
          "run",
          DETACHED,
          "--memory",
          "128,256",
          "-n",
          "200",
          "--yes",
          "--concurrency",
          "2",
          "--isolation",
          kind,
          "--payload",
          '{"busy":true}',
          "--json",
        ],
        cliEnv(""),
      );
      await until(() => processesWith(MARK).length >= 3, 30_000);
      child.kill("SIGKILL");
      await finished;
      if (child.pid !== undefined) killed.push(child.pid);
    }
    await sleep(3000);
    const left = processesWith(MARK);
    const groups = cgroupsOf(killed);
    // The next start removes the groups of runs that are gone.
    await cli(
      ["run", NOOP, "--memory", "128", "-n", "1", "--isolation", kind, "--json"],
      cliEnv(""),
    ).finished;
    const after = cgroupsOf(killed);
    console.log(
      `  ${kind}: ${left.length} processes and ${groups.length} cgroups left 3 s after; ${after.length} cgroups after the next start`,
    );
    for (const pid of left) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {}
    }
  }
}

export async function run(): Promise<void> {
  if (!existsSync(`${ROOT}dist/cli/main.js`)) {
    console.log("safety: the built CLI is missing; run `npm run build` first");
    return;
  }
  void CREDENTIALS;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const only = process.env.SAFETY_ONLY?.split(",");
  const sections: [string, () => Promise<void>][] = [
    ["kill", killMatrix],
    ["inflight", inFlight],
    ["concurrent", concurrentChanges],
    ["faults", faultMatrix],
    ["orphans", orphans],
  ];
  for (const [name, section] of sections) {
    if (only === undefined || only.includes(name)) await section();
  }
}
