import { randomBytes } from "node:crypto";
import { setMaxListeners } from "node:events";
import type { FunctionConfiguration } from "@aws-sdk/client-lambda";
import type { AwsClients, AwsConnectionOptions } from "../../aws/clients.js";
import { type ErrorContext, isAbortError, mayHaveRun, userFacing } from "../../aws/errors.js";
import { UsageError } from "../../errors.js";
import type { ReportRecord } from "../../logs/record.js";
import type { FunctionInfo, PreparedSize, Target, UnansweredInvocations } from "../target.js";
import type { UpdateWaitOptions } from "./configure.js";
import { type Connection, connectToFunction } from "./connection.js";
import { parseFunctionRef } from "./function-ref.js";
import { invokeVersion, type ThrottleOptions } from "./invoke-version.js";
import type { Journal } from "./journal.js";
import { findUnansweredReports, type LogLookupOptions } from "./log-lookup.js";
import { publishSize } from "./publish-size.js";
import { type RestoreContext, type RestoreOutcome, restoreFromJournal } from "./restore.js";
import { RunJournal } from "./run-journal.js";

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
  unansweredInvocations(): UnansweredInvocations;
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

  let connecting: Promise<Connection> | undefined;
  const connect = () => {
    connecting ??= connectToFunction(
      { ...options, ...(region !== undefined && { region }) },
      ref,
      signal,
    );
    return connecting;
  };
  const journal = new RunJournal(
    {
      stateDir: options.stateDir,
      ...(options.endpointUrl !== undefined && { endpointUrl: options.endpointUrl }),
      ...(options.profile !== undefined && { profile: options.profile }),
      functionName: ref.name,
      runId,
      pid: options.pid ?? process.pid,
      now: options.now ?? (() => new Date()),
      ...(options.timeoutSeconds !== undefined && { timeoutSeconds: options.timeoutSeconds }),
      wait: waitOptions,
    },
    connect,
  );
  const versions = new Map<number, string>();
  /** Per published version: the request ids answered, and attempts that may have run unanswered. */
  const calls = new Map<string, { answered: Set<string>; maybeRan: number; since: number }>();
  const unanswered: ReportRecord[] = [];
  const accounted = new Set<string>();

  /** After a size: finds in the log the invocations that ran but whose answers were lost. */
  async function reconcile(clients: AwsClients, logName: string, version: string): Promise<void> {
    const state = calls.get(version);
    if (state === undefined || state.maybeRan === 0 || signal.aborted) return;
    const found = await findUnansweredReports(
      clients.logs,
      logName,
      version,
      state.answered,
      state.since,
      { ...options.logLookup, expected: state.maybeRan, signal },
    ).catch(() => undefined);
    if (found === undefined) {
      lookupFailures += state.maybeRan;
      state.maybeRan = 0;
      return;
    }
    for (const record of found) {
      if (accounted.has(record.requestId)) continue;
      accounted.add(record.requestId);
      unanswered.push(record);
    }
    state.maybeRan = 0;
  }
  let lookupFailures = 0;
  let preparing: Promise<void> = Promise.resolve();
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;
  let lastRestore: RestoreOutcome | undefined;
  /** An update or publish was cut off: it may still reach Lambda after the restore. */
  let changeInFlight = false;

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
    return { action, functionName: ref.name, endpoint: clients.endpoint, changed: journal.changed };
  }

  async function publish(memoryMb: number): Promise<string> {
    const connection = await connect();
    return publishSize(
      {
        connection,
        journal,
        runId,
        functionName: ref.name,
        ...(options.timeoutSeconds !== undefined && { timeoutSeconds: options.timeoutSeconds }),
        wait: waitOptions,
        errorContext: (action) => errorContext(connection.clients, action),
      },
      memoryMb,
    );
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
            version = await track(publish(memoryMb));
          } catch (error) {
            // Cut off (Ctrl-C) or lost on the way, the update or publish may still reach
            // Lambda: the restore fences it off. Refused outright, nothing can land.
            if (signal.aborted || mayHaveRun(error) || isAbortError(error)) changeInFlight = true;
            else await journal.forgetIfUnchanged().catch(() => {});
            throw error;
          }
          versions.set(memoryMb, version);
        }
      } finally {
        done();
      }
      const { clients, configuration } = await connect();
      const published = version;
      const logName = configuration.FunctionName ?? ref.name;
      const state = calls.get(published) ?? { answered: new Set(), maybeRan: 0, since: Date.now() };
      calls.set(published, state);
      return {
        memoryMb,
        invoke: (payload: string) =>
          track(
            userFacing(errorContext(clients, "lambda:InvokeFunction"), async () => {
              const invocation = await invokeVersion({
                lambda: clients.invoker,
                logs: clients.logs,
                functionName: configuration.FunctionArn,
                logName,
                version: published,
                memoryMb,
                payload,
                signal,
                onMaybeRan: () => state.maybeRan++,
                ...(options.throttle !== undefined && { throttle: options.throttle }),
                ...(options.logLookup !== undefined && { logLookup: options.logLookup }),
              });
              state.answered.add(invocation.record.requestId);
              return invocation;
            }),
          ),
        release: () => track(reconcile(clients, logName, published)),
      };
    },
    async restore(): Promise<void> {
      internal.abort(new Error("the aws target is being restored"));
      await settle();
      if (closed) return;
      const connected = await connecting?.catch(() => undefined);
      try {
        const current = journal.current;
        if (current !== undefined && connected !== undefined) {
          lastRestore = await restoreFromJournal(
            restoreContext(connected.clients),
            current,
            current.original,
            { fence: changeInFlight },
          );
          journal.finished();
        }
      } finally {
        closed = true;
        connected?.clients.destroy();
      }
    },
    restoreOutcome: () => lastRestore,
    unansweredInvocations: () => ({
      records: [...unanswered],
      warnings:
        lookupFailures === 0
          ? []
          : [
              `CloudWatch Logs could not be read to find ${lookupFailures} ${lookupFailures === 1 ? "attempt" : "attempts"} whose answer was lost; tuningCost may be short by as many invocations`,
            ],
    }),
    async session(): Promise<AwsSession> {
      await settle();
      const { clients, configuration } = await connect();
      return {
        clients,
        configuration,
        restoreContext: restoreContext(clients),
        journal: () => journal.ensure(),
        finish(outcome) {
          journal.finished();
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
