import { availableParallelism, homedir } from "node:os";
import { installCleanupHandlers } from "../emulator/cleanup.js";
import { readOwnCgroupFiles, selectLimitBackend } from "../emulator/limits/detect.js";
import { UsageError } from "../errors.js";
import { createLocalTarget, isLocalHandlerSpec } from "../targets/local/index.js";
import { loadRecording } from "../targets/replay/load.js";
import { createReplayTarget } from "../targets/replay/replay-target.js";
import type { Target } from "../targets/target.js";
import type { CliIo } from "./io.js";
import type { RunSettings } from "./run-options.js";

/** The local target's function timeout when neither the user nor the function sets one. */
const DEFAULT_LOCAL_TIMEOUT_SECONDS = 30;

function chooseTarget(settings: RunSettings, io: CliIo): "local" | "aws" | "replay" {
  if (settings.target !== undefined) return settings.target;
  if (settings.replayFile !== undefined) return "replay";
  // Lambda function names and ARNs have no "/"; a path is a handler, even a missing one.
  const looksLikePath =
    settings.functionArg.includes("/") && !settings.functionArg.startsWith("arn:");
  if (looksLikePath || isLocalHandlerSpec(settings.functionArg, io.cwd)) return "local";
  return "aws";
}

/** Builds the target the user asked for, with limits checked before anything runs. */
export async function createTarget(
  settings: RunSettings,
  io: CliIo,
  signal?: AbortSignal,
): Promise<Target> {
  const kind = chooseTarget(settings, io);
  if (kind === "aws") {
    const { checkNoJournal, createAwsTarget, journalDir } = await import("../targets/aws/index.js");
    const stateDir = journalDir(io.env, io.env.HOME ?? homedir());
    await checkNoJournal({
      stateDir,
      functionArg: settings.functionArg,
      ...(settings.region !== undefined && { region: settings.region }),
    });
    return createAwsTarget({
      functionArg: settings.functionArg,
      stateDir,
      ...(signal !== undefined && { signal }),
      ...(settings.region !== undefined && { region: settings.region }),
      ...(settings.profile !== undefined && { profile: settings.profile }),
      ...(settings.endpointUrl !== undefined && { endpointUrl: settings.endpointUrl }),
      ...(settings.timeoutSeconds !== undefined && { timeoutSeconds: settings.timeoutSeconds }),
    });
  }
  if (kind === "replay") {
    if (settings.replayFile === undefined) {
      throw new UsageError("--target replay needs a recording", {
        hint: "give --replay-file F, a Lambda log with REPORT lines (text or JSON format)",
      });
    }
    const recording = await loadRecording(settings.replayFile);
    return createReplayTarget({
      records: recording.records,
      name: settings.functionArg,
      seed: settings.seed,
      warnings: recording.warnings,
      ...(settings.region !== undefined && { region: settings.region }),
      ...(settings.architecture === "arm64" || settings.architecture === "x86_64"
        ? { architecture: settings.architecture }
        : {}),
    });
  }

  // The safety net: sandboxes die with the tool even if a dispose path is skipped.
  installCleanupHandlers();
  const hostCores = availableParallelism();
  const isolation = await selectLimitBackend({
    prefer: settings.isolation,
    hostCores,
    ...readOwnCgroupFiles(),
    pid: process.pid,
    platform: process.platform,
  });
  try {
    return createLocalTarget({
      handler: settings.functionArg,
      cwd: io.cwd,
      timeoutSeconds: settings.timeoutSeconds ?? DEFAULT_LOCAL_TIMEOUT_SECONDS,
      cold: settings.cold,
      concurrency: settings.concurrency,
      billInit: settings.billInit,
      isolation,
      hostCores,
      plannedSizes: settings.sizes,
      ...(settings.region !== undefined && { region: settings.region }),
    });
  } catch (error) {
    await isolation.dispose();
    throw error;
  }
}
