import type { Invocation } from "../../document/invocation.js";
import { createFunctionPool } from "../function-pool.js";
import type { LimitBackend } from "../limits/types.js";
import type { SandboxPool } from "../sandbox-pool.js";
import { functionArn } from "./function-reference.js";
import type { EmulatedFunction, FunctionSettings } from "./function-store.js";

export interface VersionPoolsOptions {
  isolation: LimitBackend;
  hostCores: number;
  region: string;
  /** Sandboxes one version may run at once; more calls wait for one. */
  concurrency: number;
  billInit: boolean;
  /** Added to every sandbox's environment after the function's own (`--pass-aws-credentials`). */
  credentials?: Readonly<Record<string, string>>;
  onLog: (functionName: string, log: string, logStreamName: string) => void;
}

interface Entry {
  pool: SandboxPool;
  settingsKey: string;
  inFlight: number;
  retired: boolean;
  released: boolean;
}

/**
 * The sandboxes behind each function version: one pool per published
 * version at its own memory size, and one for $LATEST at its current
 * configuration (replaced when that changes; calls in flight finish on the old one).
 */
export class VersionPools {
  private readonly entries = new Map<string, Entry>();
  /** Replaced pools still finishing calls. */
  private readonly draining = new Set<Entry>();
  private readonly releasing = new Set<Promise<void>>();

  constructor(private readonly options: VersionPoolsOptions) {}

  async invoke(
    fn: EmulatedFunction,
    version: string,
    settings: FunctionSettings,
    payload: string,
  ): Promise<Invocation> {
    const entry = this.entryFor(fn, version, settings);
    entry.inFlight += 1;
    try {
      return await entry.pool.invoke(payload);
    } finally {
      entry.inFlight -= 1;
      if (entry.retired && entry.inFlight === 0) this.release(entry);
    }
  }

  /** Frees the sandboxes of one version (or every version when `version` is absent). */
  releaseFunction(name: string, version?: string): void {
    for (const [key, entry] of this.entries) {
      const [entryName, entryVersion] = key.split("\0");
      if (entryName !== name || (version !== undefined && entryVersion !== version)) continue;
      this.entries.delete(key);
      this.retire(entry);
    }
  }

  async close(): Promise<void> {
    const all = [...this.entries.values(), ...this.draining];
    this.entries.clear();
    this.draining.clear();
    for (const entry of all) this.release(entry);
    while (this.releasing.size > 0) await Promise.all([...this.releasing]);
  }

  private entryFor(fn: EmulatedFunction, version: string, settings: FunctionSettings): Entry {
    const key = `${fn.name}\0${version}`;
    const settingsKey = JSON.stringify(settings);
    const existing = this.entries.get(key);
    if (existing !== undefined && existing.settingsKey === settingsKey) return existing;
    if (existing !== undefined) this.retire(existing);
    const entry: Entry = {
      pool: createFunctionPool({
        handler: fn.code,
        functionName: fn.name,
        functionVersion: version,
        memoryMb: settings.memoryMb,
        timeoutSeconds: settings.timeoutSeconds,
        concurrency: this.options.concurrency,
        cold: false,
        billInit: this.options.billInit,
        region: this.options.region,
        env: { ...settings.environment, ...this.options.credentials },
        isolation: this.options.isolation,
        hostCores: this.options.hostCores,
        invokedFunctionArn: functionArn(
          this.options.region,
          fn.name,
          version === "$LATEST" ? undefined : version,
        ),
        onLog: (log, stream) => this.options.onLog(fn.name, log, stream),
      }),
      settingsKey,
      inFlight: 0,
      retired: false,
      released: false,
    };
    this.entries.set(key, entry);
    return entry;
  }

  private retire(entry: Entry): void {
    entry.retired = true;
    if (entry.inFlight === 0) this.release(entry);
    else this.draining.add(entry);
  }

  private release(entry: Entry): void {
    this.draining.delete(entry);
    if (entry.released) return;
    entry.released = true;
    const done: Promise<void> = entry.pool.release().finally(() => this.releasing.delete(done));
    this.releasing.add(done);
  }
}
