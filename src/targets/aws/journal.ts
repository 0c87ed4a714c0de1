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
import { basename, dirname, join } from "node:path";
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
  /**
   * How the run reached the function, when not the default (`--endpoint-url`,
   * `--profile`): `restore` uses them unless told otherwise.
   */
  endpointUrl?: string;
  profile?: string;
  runId: string;
  pid: number;
  startedAt: string;
  original: {
    memorySize: number;
    timeout: number;
    description: string;
    revisionId: string | undefined;
  };
  /**
   * The function's other settings (environment, role, layers, ...) as found,
   * to tell someone else's change from the run's own (`otherSettingsOf`);
   * absent in journals of earlier versions.
   */
  others?: string;
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
  return join(dir, fileName(functionArn));
}

/** The `lambda-tune restore` command line that reaches the function as the run did. */
export function restoreCommandFor(
  journal: Pick<Journal, "functionName" | "region" | "endpointUrl" | "profile">,
): string {
  const flags = [
    journal.region !== undefined && `--region ${journal.region}`,
    journal.profile !== undefined && `--profile ${journal.profile}`,
    journal.endpointUrl !== undefined && `--endpoint-url ${journal.endpointUrl}`,
  ].filter((flag) => flag !== false);
  return ["lambda-tune restore", journal.functionName, ...flags].join(" ");
}

export function journalExists(
  journal: Pick<Journal, "functionName" | "pid" | "region" | "endpointUrl" | "profile">,
  path: string,
): UsageError {
  return new UsageError(
    `a previous run's journal for ${journal.functionName} is in ${path} (pid ${journal.pid}): that run may have left the function changed`,
    {
      hint: `run \`${restoreCommandFor(journal)}\` first; it puts back the original configuration and deletes the versions that run published`,
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

const BY_HAND =
  "put the function back by hand (its original memory, timeout and description may be in the file), then delete the file";

function fileName(functionArn: string): string {
  return `${functionArn.replace(/[^A-Za-z0-9._-]/g, "_")}.json`;
}

function isTunedFields(value: unknown): boolean {
  const fields = value as Partial<Journal["original"]> | null;
  return (
    typeof fields === "object" &&
    fields !== null &&
    typeof fields.memorySize === "number" &&
    typeof fields.timeout === "number" &&
    typeof fields.description === "string"
  );
}

/** What is wrong with a parsed journal, or undefined when nothing is. */
function problemOf(journal: Partial<Journal>): string | undefined {
  if (journal.schema !== 1) return "it is not a lambda-tune journal this version reads";
  for (const key of ["functionArn", "functionName", "region", "runId"] as const) {
    if (typeof journal[key] !== "string" || journal[key] === "") return `it has no ${key}`;
  }
  if (!isTunedFields(journal.original)) return "it has no original configuration";
  if (journal.lastSet !== undefined && !isTunedFields(journal.lastSet)) {
    return "its lastSet is damaged";
  }
  if (typeof journal.timeoutSet !== "number") return "it has no timeoutSet";
  if (journal.others !== undefined && typeof journal.others !== "string") {
    return "its record of the other settings is damaged";
  }
  const versions = journal.publishedVersions;
  if (
    !Array.isArray(versions) ||
    !versions.every((v) => typeof v === "string" && /^\d+$/.test(v))
  ) {
    return "its list of published versions is damaged";
  }
  return undefined;
}

function parseJournal(text: string, path: string): Journal {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the journal ${path} is cut short or not JSON`, {
      hint: `look at it and ${BY_HAND}`,
      cause: error,
    });
  }
  const journal = (typeof value === "object" && value !== null ? value : {}) as Partial<Journal>;
  const problem = problemOf(journal);
  if (problem !== undefined) {
    throw new UsageError(`the journal ${path} cannot be used: ${problem}`, {
      hint: BY_HAND,
    });
  }
  const complete = journal as Journal;
  // One journal per function, named after it: a file renamed or copied could restore the wrong one.
  if (basename(path) !== fileName(complete.functionArn)) {
    throw new UsageError(
      `${basename(path)} holds the journal of ${complete.functionName} (${complete.functionArn}), not of the function its name says`,
      {
        hint: `if it is ${complete.functionName}'s, move it to ${join(dirname(path), fileName(complete.functionArn))} and run \`${restoreCommandFor(complete)}\`; otherwise ${BY_HAND}`,
      },
    );
  }
  return complete;
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
  // A damaged journal stops only the function it is named for or names.
  const named = `_function_${function_.name.replace(/[^A-Za-z0-9._-]/g, "_")}.json`;
  const journals = files.filter((file) => file.endsWith(".json") && !file.startsWith("."));
  for (const file of journals.sort()) {
    const path = join(dir, file);
    const text = await readFile(path, "utf8");
    let journal: Journal;
    try {
      journal = parseJournal(text, path);
    } catch (error) {
      if (file.endsWith(named) || text.includes(`"${function_.name}"`)) throw error;
      continue;
    }
    const isIt = journal.functionName === function_.name || journal.functionArn === function_.name;
    const inRegion = function_.region === undefined || journal.region === function_.region;
    if (isIt && inRegion) found.push({ journal, path });
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
