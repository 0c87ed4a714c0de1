import { randomBytes, randomUUID } from "node:crypto";
import type { Invocation } from "../document/invocation.js";
import { OUT_OF_MEMORY } from "../lambda.js";
import type { InvocationStatus, ReportRecord } from "../logs/record.js";
import { formatInvocationLog, type InvocationLogParts, lastBytes } from "./invocation-log.js";
import type { Sandbox, SandboxResult } from "./sandbox.js";

export interface SandboxPoolConfig {
  memoryMb: number;
  /** Most sandboxes this size runs at once. */
  concurrency: number;
  /** A new sandbox (a cold start) for every invocation. */
  cold: boolean;
  /** Bill the INIT phase, Lambda's rule since August 2025; false for the older rule. */
  billInit: boolean;
  timeoutSeconds: number;
  invokedFunctionArn: string;
  /** The version these sandboxes run (START's `Version:`); `$LATEST` when absent. */
  functionVersion?: string;
  newSandbox: () => Promise<Sandbox>;
  /** Receives each invocation's whole log (START..REPORT) and the sandbox's log stream. */
  onLog?: (log: string, logStreamName: string) => void;
}

function twoDecimals(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function traceId(now: number): string {
  const epoch = Math.floor(now / 1000).toString(16);
  const root = `1-${epoch}-${randomBytes(12).toString("hex")}`;
  return `Root=${root};Parent=${randomBytes(8).toString("hex")};Sampled=0`;
}

/**
 * The sandboxes of one memory size: warm ones are reused, new ones start
 * cold, up to `concurrency` at once. Each invocation's outcome is a record
 * and a log in Lambda's format; failures are statuses, never exceptions.
 */
export class SandboxPool {
  private readonly idle: Sandbox[] = [];
  private readonly live = new Set<Sandbox>();
  private starting = 0;
  private waiters: Array<() => void> = [];
  private closed = false;
  /** How many sandboxes this pool has started (each one a cold start). */
  sandboxesStarted = 0;

  constructor(private readonly config: SandboxPoolConfig) {}

  async invoke(payload: string): Promise<Invocation> {
    const requestId = randomUUID();
    const { sandbox, cold } = await this.acquire();
    let keep = false;
    try {
      const outcome = await this.run(sandbox, cold, requestId, payload);
      keep = outcome.keep && !this.config.cold && sandbox.alive;
      return outcome.invocation;
    } finally {
      await this.giveBack(sandbox, keep);
    }
  }

  async release(): Promise<void> {
    this.closed = true;
    const all = [...this.live];
    this.live.clear();
    this.idle.length = 0;
    await Promise.all(all.map((sandbox) => sandbox.dispose()));
    for (const wake of this.waiters.splice(0)) wake();
  }

  private async acquire(): Promise<{ sandbox: Sandbox; cold: boolean }> {
    for (;;) {
      if (this.closed) throw new Error("this memory size was released");
      const warm = this.idle.pop();
      if (warm !== undefined) {
        if (warm.alive) return { sandbox: warm, cold: false };
        this.live.delete(warm);
        await warm.dispose();
        continue;
      }
      if (this.live.size + this.starting < this.config.concurrency) {
        this.starting++;
        try {
          const sandbox = await this.config.newSandbox();
          this.sandboxesStarted++;
          this.live.add(sandbox);
          return { sandbox, cold: true };
        } finally {
          this.starting--;
        }
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private async giveBack(sandbox: Sandbox, keep: boolean): Promise<void> {
    if (keep && !this.closed) this.idle.push(sandbox);
    else {
      this.live.delete(sandbox);
      await sandbox.dispose();
    }
    this.waiters.shift()?.();
  }

  private async run(
    sandbox: Sandbox,
    cold: boolean,
    requestId: string,
    payload: string,
  ): Promise<{ invocation: Invocation; keep: boolean }> {
    let initDurationMs: number | undefined;
    let initOutput: string | undefined;
    if (cold) {
      const init = await sandbox.init;
      initOutput = sandbox.takeOutput();
      if (!init.ok) {
        const status: InvocationStatus = init.timedOut ? "timeout" : "error";
        const durationMs = twoDecimals(init.initDurationMs);
        const record = this.record(
          requestId,
          sandbox,
          durationMs,
          undefined,
          status,
          init.errorType,
        );
        const response = JSON.stringify({
          errorType: init.errorType,
          errorMessage: init.errorMessage,
        });
        const failure = { durationMs, status, errorType: init.errorType };
        const invocation = this.finish(
          sandbox,
          {
            requestId,
            init: {
              runtimeVersion: sandbox.config.runtime.runtimeVersion,
              output: initOutput,
              failure,
            },
            output: "",
            platformLines: [],
            record,
          },
          response,
          "Unhandled",
        );
        return { invocation, keep: false };
      }
      initDurationMs = twoDecimals(init.initDurationMs);
    }
    const timeoutMs = this.config.timeoutSeconds * 1000;
    const now = Date.now();
    const result = await sandbox.invoke(
      {
        requestId,
        payload,
        deadlineMs: now + timeoutMs,
        invokedFunctionArn: this.config.invokedFunctionArn,
        traceId: traceId(now),
      },
      timeoutMs,
    );
    const output = sandbox.takeOutput();
    const { status, errorType, response, functionError, platformLines } = this.describe(
      requestId,
      result,
    );
    const durationMs = twoDecimals(result.durationMs);
    const record = this.record(requestId, sandbox, durationMs, initDurationMs, status, errorType);
    const init =
      initOutput === undefined
        ? undefined
        : { runtimeVersion: sandbox.config.runtime.runtimeVersion, output: initOutput };
    const parts: InvocationLogParts = { requestId, output, platformLines, record };
    if (init !== undefined) parts.init = init;
    const invocation = this.finish(sandbox, parts, response, functionError);
    return { invocation, keep: result.kind === "response" || result.kind === "error" };
  }

  private describe(requestId: string, result: SandboxResult) {
    const timeoutSeconds = this.config.timeoutSeconds.toFixed(2);
    switch (result.kind) {
      case "response":
        return { status: "success" as const, response: result.body, platformLines: [] };
      case "error":
        return {
          status: "error" as const,
          // The Node.js runtime reports every handler error as Unhandled.
          functionError: "Unhandled",
          response: result.body,
          platformLines: [],
          errorType: result.errorType,
        };
      case "timeout": {
        const message = `${new Date().toISOString()} ${requestId} Task timed out after ${timeoutSeconds} seconds`;
        return {
          status: "timeout" as const,
          functionError: "Unhandled",
          response: JSON.stringify({ errorMessage: message }),
          platformLines: [message],
        };
      }
      case "crash": {
        const message = `RequestId: ${requestId} Error: ${result.errorMessage}`;
        return {
          status: "error" as const,
          errorType: result.errorType,
          functionError: "Unhandled",
          response: JSON.stringify({ errorType: result.errorType, errorMessage: message }),
          platformLines: [message, result.errorType],
        };
      }
    }
  }

  private record(
    requestId: string,
    sandbox: Sandbox,
    durationMs: number,
    initDurationMs: number | undefined,
    status: InvocationStatus,
    errorType: string | undefined,
  ): ReportRecord {
    // 1 ms granularity; since August 2025 a cold start bills ceil(Duration + Init)
    // (docs/lambda-facts.md, "Billing").
    const billedInit = this.config.billInit ? (initDurationMs ?? 0) : 0;
    const record: ReportRecord = {
      requestId,
      durationMs,
      billedDurationMs: Math.ceil(twoDecimals(durationMs + billedInit)),
      memorySizeMB: this.config.memoryMb,
      // Lambda reports more than the memory size only when the function ran out of it.
      maxMemoryUsedMB:
        errorType === OUT_OF_MEMORY
          ? sandbox.maxMemoryUsedMb()
          : Math.min(sandbox.maxMemoryUsedMb(), this.config.memoryMb),
      status,
    };
    if (initDurationMs !== undefined) record.initDurationMs = initDurationMs;
    if (errorType !== undefined) record.errorType = errorType;
    return record;
  }

  private finish(
    sandbox: Sandbox,
    parts: InvocationLogParts,
    response: string,
    functionError?: string,
  ): Invocation {
    if (this.config.functionVersion !== undefined) parts.version = this.config.functionVersion;
    const log = formatInvocationLog(parts);
    this.config.onLog?.(log, sandbox.config.logStreamName);
    const invocation: Invocation = { record: parts.record, response, logTail: lastBytes(log) };
    if (functionError !== undefined) invocation.functionError = functionError;
    return invocation;
  }
}
