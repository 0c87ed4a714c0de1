import { randomBytes } from "node:crypto";
import {
  access,
  constants,
  link,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from "node:fs/promises";
import { join } from "node:path";
import { UsageError } from "../../errors.js";
import { parseFunctionRef } from "./function-ref.js";

/**
 * What a run must know to put a function back after any ending, a hard kill
 * included: written before the first change, updated after each publish,
 * deleted once the function is restored.
 */
export interface Journal {
  schema: 1;
  /** The unqualified ARN; one journal per function. */
  functionArn: string;
  /** The bare function name (log group, messages, `restore NAME`). */
  functionName: string;
  region: string;
  runId: string;
  pid: number;
  startedAt: string;
  original: {
    memorySize: number;
    timeout: number;
    description: string;
    revisionId: string | undefined;
  };
  /** The timeout this run sets at every size: the original unless --timeout was given. */
  timeoutSet: number;
  /**
   * What this run last set (written before the update, the revision after it),
   * so a configuration it set is recognised as its own, not someone else's.
   */
  lastSet?: {
    memorySize: number;
    timeout: number;
    description: string;
    revisionId: string | undefined;
  };
  /** Versions this run published, in order. */
  publishedVersions: string[];
}

/** `$LAMBDA_TUNE_STATE_DIR`, else `~/.lambda-tune/journal`. */
export function journalDir(env: NodeJS.ProcessEnv, home: string): string {
  const dir = env.LAMBDA_TUNE_STATE_DIR;
  return dir !== undefined && dir !== "" ? dir : join(home, ".lambda-tune", "journal");
}

/**
 * Makes sure journals can be written to `dir` before anything changes on a
 * function: a run that could not journal could not be restored after a kill.
 */
export async function checkJournalDir(dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const named = env.LAMBDA_TUNE_STATE_DIR !== undefined && env.LAMBDA_TUNE_STATE_DIR !== "";
  const where = named ? `LAMBDA_TUNE_STATE_DIR (${dir})` : dir;
  const hint = named
    ? "point LAMBDA_TUNE_STATE_DIR at a directory you can write, or unset it to use ~/.lambda-tune/journal"
    : "make ~/.lambda-tune/journal a directory you can write, or set LAMBDA_TUNE_STATE_DIR to one";
  const info = await stat(dir).catch(() => undefined);
  if (info !== undefined && !info.isDirectory()) {
    throw new UsageError(`${where} is not a directory: lambda-tune keeps its run journals there`, {
      hint,
    });
  }
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new UsageError(`cannot write run journals to ${where}`, { hint, cause: error });
  }
}

export function journalPath(dir: string, functionArn: string): string {
  return join(dir, `${functionArn.replace(/[^A-Za-z0-9._-]/g, "_")}.json`);
}

export function journalExists(
  journal: Pick<Journal, "functionName" | "pid">,
  path: string,
): UsageError {
  return new UsageError(
    `a previous run's journal for ${journal.functionName} is in ${path} (pid ${journal.pid}): that run may have left the function changed`,
    {
      hint: `run \`lambda-tune restore ${journal.functionName}\` first; it puts back the original configuration and deletes the versions that run published`,
    },
  );
}

async function writeTemp(dir: string, journal: Journal): Promise<string> {
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
  await writeFile(temp, `${JSON.stringify(journal, null, 2)}\n`, { mode: 0o600 });
  return temp;
}

/** Writes a new journal atomically, refusing when one exists for that function. */
export async function createJournal(dir: string, journal: Journal): Promise<void> {
  const path = journalPath(dir, journal.functionArn);
  const temp = await writeTemp(dir, journal);
  try {
    // link() fails when the target exists: two runs cannot both claim a function.
    await link(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw journalExists((await readJournal(dir, journal.functionArn)) ?? journal, path);
    }
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

/** Replaces the journal atomically (write, then rename over it). */
export async function updateJournal(dir: string, journal: Journal): Promise<void> {
  const temp = await writeTemp(dir, journal);
  await rename(temp, journalPath(dir, journal.functionArn));
}

function parseJournal(text: string, path: string): Journal {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the journal ${path} is not JSON`, {
      hint: "look at it and put the function back by hand (its original configuration may be in it), then delete the file",
      cause: error,
    });
  }
  const journal = value as Partial<Journal>;
  if (
    journal.schema !== 1 ||
    typeof journal.functionArn !== "string" ||
    typeof journal.functionName !== "string" ||
    typeof journal.original?.memorySize !== "number" ||
    !Array.isArray(journal.publishedVersions)
  ) {
    throw new UsageError(`the journal ${path} is not a lambda-tune journal this version reads`, {
      hint: "put the function back by hand from what it says, then delete the file",
    });
  }
  return journal as Journal;
}

export async function readJournal(dir: string, functionArn: string): Promise<Journal | undefined> {
  const path = journalPath(dir, functionArn);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  return parseJournal(text, path);
}

export async function deleteJournal(dir: string, functionArn: string): Promise<void> {
  await rm(journalPath(dir, functionArn), { force: true });
}

/** Journals for a function named by name or unqualified ARN, optionally in one region. */
export async function findJournals(
  dir: string,
  function_: { name: string; region?: string },
): Promise<{ journal: Journal; path: string }[]> {
  let files: string[];
  try {
    files = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return [];
    if (code === "ENOTDIR") {
      throw new UsageError(`${dir}, where lambda-tune keeps its run journals, is not a directory`, {
        hint: "point LAMBDA_TUNE_STATE_DIR at the directory the run used, or unset it",
        cause: error,
      });
    }
    throw error;
  }
  const found: { journal: Journal; path: string }[] = [];
  for (const file of files.filter((f) => f.endsWith(".json")).sort()) {
    const path = join(dir, file);
    const journal = parseJournal(await readFile(path, "utf8"), path);
    const named = journal.functionName === function_.name || journal.functionArn === function_.name;
    const inRegion = function_.region === undefined || journal.region === function_.region;
    if (named && inRegion) found.push({ journal, path });
  }
  return found;
}

/**
 * Refuses to start a run on a function a previous run may have left changed.
 * `functionArg` is the function as the user gave it (name or ARN); `region`
 * narrows the search when known (--region).
 */
export async function checkNoJournal(options: {
  stateDir: string;
  functionArg: string;
  region?: string;
}): Promise<void> {
  const ref = parseFunctionRef(options.functionArg);
  const region = ref.region ?? options.region;
  const [first] = await findJournals(options.stateDir, {
    name: ref.name,
    ...(region !== undefined && { region }),
  });
  if (first !== undefined) throw journalExists(first.journal, first.path);
}
