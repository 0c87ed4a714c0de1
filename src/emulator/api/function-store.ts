import { randomUUID } from "node:crypto";
import {
  MAX_MEMORY_MB,
  MAX_TIMEOUT_SECONDS,
  MIN_MEMORY_MB,
  RESERVED_ENVIRONMENT,
} from "../../lambda.js";
import type { LocatedHandler } from "../runtimes/runtime.js";
import {
  functionNotFound,
  invalidParameter,
  preconditionFailed,
  resourceConflict,
  validationError,
} from "./api-error.js";
import { loadsCode } from "./code-loading-env.js";
import { functionArn } from "./function-reference.js";

/** What UpdateFunctionConfiguration can change, and what a version freezes. */
export interface FunctionSettings {
  memoryMb: number;
  timeoutSeconds: number;
  description: string;
  environment: Record<string, string>;
}

export interface PublishedVersion {
  version: string;
  settings: FunctionSettings;
  revisionId: string;
  lastModified: number;
  /** The $LATEST configuration it was published from, to tell whether anything changed since. */
  source: string;
}

export interface Alias {
  name: string;
  functionVersion: string;
  description: string;
  /** RoutingConfig.AdditionalVersionWeights: another version and the share of calls it gets. */
  additionalVersionWeights?: Record<string, number>;
  revisionId: string;
}

export interface EmulatedFunction {
  name: string;
  /** The handler (`_HANDLER`), its task root and the runtime that runs it. */
  code: LocatedHandler;
  codeSha256: string;
  codeSize: number;
  /** $LATEST as configured (what reads show). */
  settings: FunctionSettings;
  /** What $LATEST runs: the previous settings while an update is in progress. */
  runningSettings: FunctionSettings;
  revisionId: string;
  lastModified: number;
  /** When the update in progress becomes Successful; undefined when none is. */
  updateCompletesAt: number | undefined;
  versions: Map<string, PublishedVersion>;
  lastVersionNumber: number;
  aliases: Map<string, Alias>;
}

export interface ConfigurationUpdate {
  MemorySize?: unknown;
  Timeout?: unknown;
  Description?: unknown;
  Environment?: unknown;
  RevisionId?: unknown;
}

function checkMemory(value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw validationError("memorySize", value, "Member must be an integer");
  }
  if (value < MIN_MEMORY_MB) {
    throw validationError(
      "memorySize",
      value,
      `Member must have value greater than or equal to ${MIN_MEMORY_MB}`,
    );
  }
  if (value > MAX_MEMORY_MB) {
    throw validationError(
      "memorySize",
      value,
      `Member must have value less than or equal to ${MAX_MEMORY_MB}`,
    );
  }
  return value;
}

function checkTimeout(value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw validationError("timeout", value, "Member must be an integer");
  }
  if (value < 1) {
    throw validationError("timeout", value, "Member must have value greater than or equal to 1");
  }
  if (value > MAX_TIMEOUT_SECONDS) {
    throw invalidParameter(
      `Timeout value ${value} exceeds the maximum allowed value of ${MAX_TIMEOUT_SECONDS} seconds.`,
    );
  }
  return value;
}

function checkDescription(value: unknown): string {
  if (typeof value !== "string" || value.length > 256) {
    throw validationError(
      "description",
      value,
      "Member must have length less than or equal to 256",
    );
  }
  return value;
}

function checkEnvironment(value: unknown, allowed: ReadonlySet<string>): Record<string, string> {
  const variables = (value as { Variables?: unknown } | null)?.Variables ?? {};
  if (typeof variables !== "object" || variables === null || Array.isArray(variables)) {
    throw invalidParameter("Environment.Variables must be a map of names to strings.");
  }
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(variables)) {
    if (!/^[a-zA-Z]\w*$/.test(key) || typeof entry !== "string") {
      throw invalidParameter(
        `Environment variable ${key} must be named [a-zA-Z]\\w* with a string value.`,
      );
    }
    result[key] = entry;
  }
  const reserved = Object.keys(result).filter((key) => RESERVED_ENVIRONMENT.includes(key));
  if (reserved.length > 0) {
    // Lambda's own words (docs/lambda-facts.md, "Runtime API").
    throw invalidParameter(
      "Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. " +
        `Reserved keys used in this request: ${reserved.join(", ")}`,
    );
  }
  const refused = Object.keys(result).filter((key) => loadsCode(key) && !allowed.has(key));
  if (refused.length > 0) {
    const names = refused.join(", ");
    throw invalidParameter(
      `lambda-tune emulate refuses the environment variable${refused.length === 1 ? "" : "s"} ${names}: ${refused.length === 1 ? "it makes" : "they make"} the runtime load code from other files on this host. If every local user and process may run code here, start emulate with ${refused.map((key) => `--allow-env ${key}`).join(" ")}.`,
    );
  }
  return result;
}

function fingerprint(fn: EmulatedFunction): string {
  return JSON.stringify([fn.codeSha256, fn.code.handler, fn.settings]);
}

/**
 * The functions the emulator serves and their versions and aliases, with
 * Lambda's rules for updates in progress, revision ids and publishing.
 */
export class FunctionStore {
  private readonly functions = new Map<string, EmulatedFunction>();

  private readonly allowEnv: ReadonlySet<string>;

  constructor(
    readonly region: string,
    private readonly now: () => number,
    private readonly updateDelayMs: number,
    /** Code-loading environment variables UpdateFunctionConfiguration may set nonetheless. */
    options: { allowEnv?: readonly string[] } = {},
  ) {
    this.allowEnv = new Set(options.allowEnv ?? []);
  }

  has(name: string): boolean {
    return this.functions.has(name);
  }

  add(fn: EmulatedFunction): void {
    this.functions.set(fn.name, fn);
  }

  list(): EmulatedFunction[] {
    return [...this.functions.values()].map((fn) => this.settle(fn));
  }

  get(name: string, qualifier?: string): EmulatedFunction {
    const fn = this.functions.get(name);
    if (fn === undefined) throw functionNotFound(functionArn(this.region, name, qualifier));
    return this.settle(fn);
  }

  /**
   * UpdateFunctionConfiguration: InProgress, then Successful (docs/lambda-facts.md, "Lambda API").
   */
  updateInProgress(fn: EmulatedFunction): boolean {
    return this.settle(fn).updateCompletesAt !== undefined;
  }

  private settle(fn: EmulatedFunction): EmulatedFunction {
    if (fn.updateCompletesAt !== undefined && this.now() >= fn.updateCompletesAt) {
      fn.updateCompletesAt = undefined;
      fn.runningSettings = fn.settings;
      // The update's end is a revision of its own: the RevisionId an update answers is
      // stale once it is Successful (docs/lambda-facts.md, "Control plane").
      fn.revisionId = randomUUID();
    }
    return fn;
  }

  private refuseWhileUpdating(fn: EmulatedFunction): void {
    if (this.updateInProgress(fn)) {
      throw resourceConflict(
        `An update is in progress for resource: ${functionArn(this.region, fn.name)}`,
      );
    }
  }

  updateConfiguration(name: string, input: ConfigurationUpdate): EmulatedFunction {
    const fn = this.get(name);
    this.refuseWhileUpdating(fn);
    if (input.RevisionId !== undefined && input.RevisionId !== fn.revisionId) {
      throw preconditionFailed();
    }
    const next: FunctionSettings = { ...fn.settings };
    if (input.MemorySize !== undefined) next.memoryMb = checkMemory(input.MemorySize);
    if (input.Timeout !== undefined) next.timeoutSeconds = checkTimeout(input.Timeout);
    if (input.Description !== undefined) next.description = checkDescription(input.Description);
    if (input.Environment !== undefined) {
      next.environment = checkEnvironment(input.Environment, this.allowEnv);
    }
    fn.runningSettings = fn.settings;
    fn.settings = next;
    fn.revisionId = randomUUID();
    fn.lastModified = this.now();
    fn.updateCompletesAt = this.now() + this.updateDelayMs;
    return fn;
  }

  /**
   * PublishVersion: when nothing changed since the last published
   * version, that version is returned instead of a new one
   * (docs/lambda-facts.md, "Lambda API").
   */
  publishVersion(
    name: string,
    input: { Description?: unknown; RevisionId?: unknown; CodeSha256?: unknown },
  ): PublishedVersion {
    const fn = this.get(name);
    this.refuseWhileUpdating(fn);
    if (input.RevisionId !== undefined && input.RevisionId !== fn.revisionId) {
      throw preconditionFailed();
    }
    if (input.CodeSha256 !== undefined && input.CodeSha256 !== fn.codeSha256) {
      throw invalidParameter(
        `CodeSHA256 (${String(input.CodeSha256)}) is different from current CodeSHA256 in $LATEST (${fn.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
      );
    }
    const source = fingerprint(fn);
    const last = fn.versions.get(String(fn.lastVersionNumber));
    if (last !== undefined && last.source === source) return last;
    const description =
      input.Description === undefined
        ? fn.settings.description
        : checkDescription(input.Description);
    fn.lastVersionNumber += 1;
    const version: PublishedVersion = {
      version: String(fn.lastVersionNumber),
      settings: { ...fn.settings, description },
      revisionId: randomUUID(),
      lastModified: this.now(),
      source,
    };
    fn.versions.set(version.version, version);
    return version;
  }

  deleteVersion(name: string, qualifier: string): void {
    const fn = this.get(name, qualifier);
    if (qualifier === "$LATEST") {
      throw invalidParameter("$LATEST version cannot be deleted without deleting the function.");
    }
    if (!fn.versions.has(qualifier)) {
      if (fn.aliases.has(qualifier)) {
        throw invalidParameter(
          "Deletion of aliases is not supported by DeleteFunction; use DeleteAlias.",
        );
      }
      throw functionNotFound(functionArn(this.region, name, qualifier));
    }
    const users = [...fn.aliases.values()]
      .filter(
        (alias) =>
          alias.functionVersion === qualifier ||
          alias.additionalVersionWeights?.[qualifier] !== undefined,
      )
      .map((alias) => alias.name);
    if (users.length > 0) {
      throw resourceConflict(
        `Unable to delete version because the following aliases reference it: [${users.join(", ")}]`,
      );
    }
    fn.versions.delete(qualifier);
  }

  deleteFunction(name: string): void {
    this.get(name);
    this.functions.delete(name);
  }
}
