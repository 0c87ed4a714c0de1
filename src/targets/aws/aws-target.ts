import { randomBytes } from "node:crypto";
import { setMaxListeners } from "node:events";
import type { FunctionConfiguration } from "@aws-sdk/client-lambda";
import { type AwsClients, type AwsConnectionOptions, createAwsClients } from "../../aws/clients.js";
import { type ErrorContext, errorName, userFacing } from "../../aws/errors.js";
import { UsageError } from "../../errors.js";
import type { FunctionInfo, PreparedSize, Target } from "../target.js";
import {
  getConfiguration,
  publishVersion,
  type UpdateWaitOptions,
  updateConfiguration,
  waitForUpdate,
} from "./configure.js";
import { parseFunctionRef } from "./function-ref.js";
import { invokeVersion, type ThrottleOptions } from "./invoke-version.js";
import {
  createJournal,
  deleteJournal,
  type Journal,
  journalExists,
  journalPath,
  readJournal,
  updateJournal,
} from "./journal.js";
import type { LogLookupOptions } from "./log-lookup.js";
import {
  type RestoreContext,
  type RestoreOutcome,
  restoreFromJournal,
  runDescription,
} from "./restore.js";

export interface AwsTargetOptions extends AwsConnectionOptions {
  /** The function as the user named it: name, ARN or partial ARN, unqualified. */
  functionArg: string;
  /** --timeout: set at every size; otherwise the function keeps its own. */
  timeoutSeconds?: number;
  /** Where journals live (`journalDir(env, home)`). */
  stateDir: string;
  /** Aborts calls in flight (Ctrl-C); restore() still runs to the end. */
  signal?: AbortSignal;
  /** Defaults: a random id, this process. */
  runId?: string;
  pid?: number;
  now?: () => Date;
  wait?: Omit<UpdateWaitOptions, "signal">;
  throttle?: ThrottleOptions;
  logLookup?: Omit<LogLookupOptions, "signal">;
}

/** The session the apply functions continue: clients, the journal and what restore needs. */
export interface AwsSession {
  clients: AwsClients;
  restoreContext: RestoreContext;
  configuration: FunctionConfiguration & { FunctionArn: string };
  /** Written before the first change; undefined until then and after restore. */
  journal(): Promise<Journal>;
  /** Marks the run finished: the journal is gone and the clients are closed. */
  finish(outcome: RestoreOutcome | undefined): void;
}

export interface AwsTarget extends Target {
  readonly kind: "aws";
  /** What the last restore did (for printing), once it ran. */
  restoreOutcome(): RestoreOutcome | undefined;
  /** For --apply and --apply-alias: waits for work in flight, then hands over the session. */
  session(): Promise<AwsSession>;
}

export function isAwsTarget(target: Target): target is AwsTarget {
  return target.kind === "aws" && "restoreOutcome" in target && "session" in target;
}

function architectureOf(configuration: FunctionConfiguration): "x86_64" | "arm64" {
  return configuration.Architectures?.[0] === "arm64" ? "arm64" : "x86_64";
}

/**
 * The aws target: per size, UpdateFunctionConfiguration (memory and a unique
 * description) -> wait until Successful -> PublishVersion; invocations go to
 * that version. restore() puts the function back and deletes those versions.
 */
export function createAwsTarget(options: AwsTargetOptions): AwsTarget {
  const ref = parseFunctionRef(options.functionArg);
  if (ref.region !== undefined && options.region !== undefined && ref.region !== options.region) {
    throw new UsageError(
      `the ARN ${options.functionArg} is in ${ref.region}, but --region says ${options.region}`,
      { hint: "drop --region, or give the function's name instead of its ARN" },
    );
  }
  const region = options.region ?? ref.region;
  const runId = options.runId ?? randomBytes(4).toString("hex");
  const internal = new AbortController();
  const signal =
    options.signal === undefined
      ? internal.signal
      : AbortSignal.any([options.signal, internal.signal]);
  // Every invocation in flight listens to it; that is expected, not a leak.
  setMaxListeners(10_000, signal);
  const waitOptions: UpdateWaitOptions = { ...options.wait, signal };

  let described:
    | Promise<{
        clients: AwsClients;
        configuration: FunctionConfiguration & { FunctionArn: string };
      }>
    | undefined;
  let journal: Journal | undefined;
  const versions = new Map<number, string>();
  let preparing: Promise<void> = Promise.resolve();
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;
  let lastRestore: RestoreOutcome | undefined;

  function track<T>(promise: Promise<T>): Promise<T> {
    inFlight.add(promise);
    const forget = () => inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  async function settle(): Promise<void> {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  }

  function errorContext(clients: AwsClients, action: string): ErrorContext {
    return {
      action,
      functionName: ref.name,
      endpoint: clients.endpoint,
      changed:
        journal !== undefined &&
        (journal.lastSet !== undefined || journal.publishedVersions.length > 0),
    };
  }

  function connect() {
    described ??= (async () => {
      const clients = await createAwsClients({
        ...options,
        ...(region !== undefined && { region }),
      });
      try {
        const configuration = await userFacing(
          {
            action: "lambda:GetFunctionConfiguration",
            functionName: ref.name,
            endpoint: clients.endpoint,
            changed: false,
          },
          () => getConfiguration(clients.lambda, ref.functionName, signal),
        );
        const arn = configuration.FunctionArn;
        if (arn === undefined) throw new Error("GetFunctionConfiguration returned no FunctionArn");
        const previous = await readJournal(options.stateDir, arn);
        if (previous !== undefined) {
          throw journalExists(previous, journalPath(options.stateDir, arn));
        }
        return { clients, configuration: { ...configuration, FunctionArn: arn } };
      } catch (error) {
        clients.destroy();
        throw error;
      }
    })();
    return described;
  }

  async function ensureJournal(): Promise<Journal> {
    if (journal !== undefined) return journal;
    const { clients, configuration } = await connect();
    let original: FunctionConfiguration = configuration;
    if (original.LastUpdateStatus === "InProgress") {
      // Someone's update is still being applied; what it ends as is what to restore.
      original = await waitForUpdate(clients.lambda, configuration.FunctionArn, waitOptions);
    }
    const created: Journal = {
      schema: 1,
      functionArn: configuration.FunctionArn,
      functionName: configuration.FunctionName ?? ref.name,
      region: clients.region,
      runId,
      pid: options.pid ?? process.pid,
      startedAt: (options.now ?? (() => new Date()))().toISOString(),
      original: {
        memorySize: original.MemorySize ?? 128,
        timeout: original.Timeout ?? 3,
        description: original.Description ?? "",
        revisionId: original.RevisionId,
      },
      timeoutSet: options.timeoutSeconds ?? original.Timeout ?? 3,
      publishedVersions: [],
    };
    await createJournal(options.stateDir, created);
    journal = created;
    return created;
  }

  async function publishSize(memoryMb: number): Promise<string> {
    const { clients } = await connect();
    const run = await ensureJournal();
    const description = runDescription(runId, memoryMb);
    try {
      const after = await userFacing(
        errorContext(clients, "lambda:UpdateFunctionConfiguration"),
        () =>
          updateConfiguration(
            clients.lambda,
            run.functionArn,
            {
              MemorySize: memoryMb,
              Description: description,
              ...(options.timeoutSeconds !== undefined && { Timeout: options.timeoutSeconds }),
            },
            waitOptions,
          ),
      );
      run.lastSet = {
        memorySize: after.MemorySize ?? memoryMb,
        timeout: after.Timeout ?? run.timeoutSet,
        description: after.Description ?? description,
        revisionId: after.RevisionId,
      };
      await updateJournal(options.stateDir, run);
    } catch (error) {
      if (errorName(error) === "InvalidParameterValueException") {
        throw new UsageError(
          `Lambda refused ${memoryMb} MB for ${ref.name}: ${(error as Error).message}`,
          {
            hint: "choose --memory sizes within 128..10240 MB and your account's memory quota",
            cause: error,
          },
        );
      }
      throw error;
    }
    const published = await userFacing(errorContext(clients, "lambda:PublishVersion"), () =>
      publishVersion(clients.lambda, run.functionArn, waitOptions),
    );
    run.publishedVersions.push(published.Version);
    await updateJournal(options.stateDir, run);
    if (published.MemorySize !== memoryMb || published.Description !== description) {
      throw new UsageError(
        `${ref.name} was changed by someone else during the run: version ${published.Version} has ${published.MemorySize} MB, '${published.Description}'`,
        { hint: "run again when nobody else is updating the function" },
      );
    }
    return published.Version;
  }

  async function forgetUnchangedJournal(): Promise<void> {
    // A first update refused before anything changed: nothing to restore, no journal to leave behind.
    if (
      journal !== undefined &&
      journal.lastSet === undefined &&
      journal.publishedVersions.length === 0
    ) {
      const { clients, configuration } = await connect();
      const now = await getConfiguration(clients.lambda, configuration.FunctionArn).catch(
        () => undefined,
      );
      const untouched =
        now !== undefined &&
        now.MemorySize === journal.original.memorySize &&
        now.Description === journal.original.description &&
        now.Timeout === journal.original.timeout;
      if (untouched) {
        await deleteJournal(options.stateDir, journal.functionArn);
        journal = undefined;
      }
    }
  }

  const target: AwsTarget = {
    kind: "aws",
    async describe(): Promise<FunctionInfo> {
      const { clients, configuration } = await connect();
      const warnings: string[] = [];
      if (
        options.timeoutSeconds !== undefined &&
        options.timeoutSeconds !== configuration.Timeout
      ) {
        warnings.push(
          `the sweep runs ${ref.name} with a timeout of ${options.timeoutSeconds} s (its own is ${configuration.Timeout} s)`,
        );
      }
      return {
        name: options.functionArg,
        architecture: architectureOf(configuration),
        region: clients.region,
        ...(configuration.MemorySize !== undefined && {
          currentMemoryMb: configuration.MemorySize,
        }),
        ...(configuration.Timeout !== undefined && {
          currentTimeoutSeconds: configuration.Timeout,
        }),
        warnings,
      };
    },
    availableSizes: () => undefined,
    capacity: () => undefined,
    async prepare(memoryMb: number): Promise<PreparedSize> {
      if (closed) throw new Error("the aws target was already restored");
      signal.throwIfAborted();
      // One configuration change at a time: a second update while one is in progress is a 409.
      const previous = preparing;
      let done = () => {};
      preparing = new Promise<void>((resolve) => (done = resolve));
      let version: string | undefined;
      try {
        await previous;
        version = versions.get(memoryMb);
        if (version === undefined) {
          try {
            version = await track(publishSize(memoryMb));
          } catch (error) {
            await forgetUnchangedJournal().catch(() => {});
            throw error;
          }
          versions.set(memoryMb, version);
        }
      } finally {
        done();
      }
      const { clients, configuration } = await connect();
      const published = version;
      return {
        memoryMb,
        invoke: (payload: string) =>
          track(
            userFacing(errorContext(clients, "lambda:InvokeFunction"), () =>
              invokeVersion({
                lambda: clients.lambda,
                logs: clients.logs,
                functionName: configuration.FunctionArn,
                logName: configuration.FunctionName ?? ref.name,
                version: published,
                memoryMb,
                payload,
                signal,
                ...(options.throttle !== undefined && { throttle: options.throttle }),
                ...(options.logLookup !== undefined && { logLookup: options.logLookup }),
              }),
            ),
          ),
        release: async () => {},
      };
    },
    async restore(): Promise<void> {
      internal.abort(new Error("the aws target is being restored"));
      await settle();
      if (closed) return;
      const connected = await described?.catch(() => undefined);
      try {
        if (journal !== undefined && connected !== undefined) {
          lastRestore = await restoreFromJournal(restoreContext(connected.clients), journal);
          journal = undefined;
        }
      } finally {
        closed = true;
        connected?.clients.destroy();
      }
    },
    restoreOutcome: () => lastRestore,
    async session(): Promise<AwsSession> {
      await settle();
      const { clients, configuration } = await connect();
      return {
        clients,
        configuration,
        restoreContext: restoreContext(clients),
        journal: ensureJournal,
        finish(outcome) {
          journal = undefined;
          lastRestore = outcome;
          closed = true;
          clients.destroy();
        },
      };
    },
  };

  function restoreContext(clients: AwsClients): RestoreContext {
    // No abort signal: a restore runs to the end even after Ctrl-C.
    return {
      lambda: clients.lambda,
      endpoint: clients.endpoint,
      stateDir: options.stateDir,
      wait: { ...options.wait },
    };
  }

  return target;
}
