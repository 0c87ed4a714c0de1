import { homedir } from "node:os";
import { createAwsClients } from "../aws/clients.js";
import { UsageError } from "../errors.js";
import { parseFunctionRef } from "../targets/aws/function-ref.js";
import { findJournals, journalDir } from "../targets/aws/journal.js";
import {
  describeConflict,
  describeFields,
  type RestoreOutcome,
  restoreFromJournal,
} from "../targets/aws/restore.js";
import { type CliIo, write } from "./io.js";

function text(raw: Record<string, unknown>, name: string): string | undefined {
  const value = raw[name];
  return typeof value === "string" ? value : undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const FIELD_WORDS: Record<string, string> = {
  memorySize: "memory",
  timeout: "timeout",
  description: "description",
};

/** What restore did: what it put back, what it found changed by someone else, the versions. */
function report(outcome: RestoreOutcome, runId: string): string {
  const lines: string[] = [];
  const name = outcome.functionName;
  if (outcome.configuration === "restored") {
    const fields = Object.keys(outcome.putBack).map((field) => FIELD_WORDS[field] ?? field);
    lines.push(`restored ${name}: ${describeFields(outcome.now)} (put back: ${fields.join(", ")})`);
  } else if (outcome.configuration === "changed-by-someone-else") {
    lines.push(describeConflict(outcome));
  } else if (outcome.configuration === "unchanged") {
    lines.push(
      `${name} already had its configuration from before the run: ${describeFields(outcome.now)}`,
    );
  }
  const versions = (list: readonly string[]) => list.join(", ");
  if (outcome.deletedVersions.length > 0) {
    lines.push(`deleted versions ${versions(outcome.deletedVersions)} (published by run ${runId})`);
  }
  if (outcome.missingVersions.length > 0) {
    const [only, ...more] = outcome.missingVersions;
    lines.push(
      more.length === 0
        ? `version ${only} was already deleted`
        : `versions ${versions(outcome.missingVersions)} were already deleted`,
    );
  }
  if (outcome.deletedVersions.length + outcome.missingVersions.length === 0) {
    lines.push(`run ${runId} had published no version`);
  }
  for (const warning of outcome.warnings) lines.push(`warning: ${warning}`);
  return `${lines.map((line) => `lambda-tune: ${line}`).join("\n")}\n`;
}

/**
 * `lambda-tune restore <function>`: puts a function back from the journal a
 * run left (after SIGKILL or power loss) and deletes the versions it
 * published. Idempotent: without a journal there is nothing to do.
 */
export async function restoreCommand(
  functionArg: string,
  raw: Record<string, unknown>,
  io: CliIo,
): Promise<number> {
  const ref = parseFunctionRef(functionArg);
  const regionGiven = text(raw, "region");
  const region = ref.region ?? regionGiven;
  const stateDir = journalDir(io.env, io.env.HOME ?? homedir());
  const found = await findJournals(stateDir, {
    name: ref.name,
    ...(region !== undefined && { region }),
  });
  if (found.length === 0) {
    await write(
      io.stdout,
      `lambda-tune: no journal for ${functionArg} in ${stateDir}: nothing to restore\n`,
    );
    return 0;
  }
  if (found.length > 1) {
    throw new UsageError(`journals for ${functionArg} exist in several regions`, {
      hint: `pass --region, one of: ${found.map((f) => f.journal.region).join(", ")}`,
    });
  }
  const [{ journal, path }] = found as [(typeof found)[number]];
  if (journal.pid !== process.pid && isRunning(journal.pid) && raw.force !== true) {
    throw new UsageError(
      `the run that wrote ${path} (pid ${journal.pid}) is still running; it restores the function itself when it ends`,
      {
        hint: `stop it (Ctrl-C, or kill ${journal.pid}) and it restores; if pid ${journal.pid} is not lambda-tune, pass --force`,
      },
    );
  }
  // Where the run reached the function, unless told otherwise.
  const endpointUrl = text(raw, "endpointUrl") ?? journal.endpointUrl;
  const profile = text(raw, "profile") ?? journal.profile;
  const clients = await createAwsClients({
    env: io.env,
    region: regionGiven ?? journal.region,
    ...(profile !== undefined && { profile }),
    ...(endpointUrl !== undefined && { endpointUrl }),
  });
  try {
    const outcome = await restoreFromJournal(
      { lambda: clients.lambda, endpoint: clients.endpoint, stateDir, wait: {} },
      journal,
    );
    await write(io.stdout, `${report(outcome, journal.runId)}lambda-tune: removed ${path}\n`);
    return 0;
  } finally {
    clients.destroy();
  }
}
