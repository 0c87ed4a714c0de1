import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";

/** Debian's `chromium` package (`apt-get install -y --no-install-recommends chromium`). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

// Without the background-networking flags a closed network refuses its connections and it logs errors.
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
  "--hide-scrollbars",
  "--remote-debugging-pipe",
];
const COMMAND_TIMEOUT_MS = 30_000;

type Params = Record<string, unknown>;
interface Message {
  id?: number;
  method?: string;
  params?: Params;
  result?: Params;
  error?: { message: string };
  sessionId?: string;
}

/**
 * Headless Chromium driven over the DevTools protocol on a pipe (fd 3 in, fd 4
 * out, messages separated by NUL), so no WebSocket client is needed.
 */
export class Browser {
  private nextId = 1;
  private readonly pending = new Map<number, (message: Message) => void>();
  private readonly listeners: ((message: Message) => void)[] = [];
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
  ) {
    const input = child.stdio[3] as Writable;
    const output = child.stdio[4] as Readable;
    input.on("error", () => {});
    let buffer = "";
    output.setEncoding("utf8").on("data", (chunk: string) => {
      buffer += chunk;
      let end = buffer.indexOf("\0");
      while (end >= 0) {
        this.dispatch(JSON.parse(buffer.slice(0, end)) as Message);
        buffer = buffer.slice(end + 1);
        end = buffer.indexOf("\0");
      }
    });
    child.on("exit", () => {
      this.exited = true;
      for (const resolve of this.pending.values())
        resolve({ error: { message: "browser exited" } });
      this.pending.clear();
    });
  }

  static async launch(): Promise<Browser> {
    const profile = await mkdtemp(join(tmpdir(), "lambda-tune-chromium-"));
    const child = spawn(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, "about:blank"], {
      stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"],
    });
    return new Browser(child, profile);
  }

  private dispatch(message: Message): void {
    if (message.id !== undefined) {
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
      return;
    }
    for (const listener of this.listeners) listener(message);
  }

  /** Sends a command (to a page when `sessionId` is given) and resolves with its result. */
  send(method: string, params: Params = {}, sessionId?: string): Promise<Params> {
    if (this.exited) return Promise.reject(new Error(`browser exited before ${method}`));
    const id = this.nextId++;
    const message = { id, method, params, ...(sessionId !== undefined && { sessionId }) };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer in ${COMMAND_TIMEOUT_MS} ms`));
      }, COMMAND_TIMEOUT_MS);
      this.pending.set(id, (reply) => {
        clearTimeout(timer);
        if (reply.error !== undefined) reject(new Error(`${method}: ${reply.error.message}`));
        else resolve(reply.result ?? {});
      });
      (this.child.stdio[3] as Writable).write(`${JSON.stringify(message)}\0`);
    });
  }

  /** Calls `listener` with every event until the browser closes. */
  onEvent(listener: (method: string, params: Params, sessionId?: string) => void): void {
    this.listeners.push((m) => {
      if (m.method !== undefined) listener(m.method, m.params ?? {}, m.sessionId);
    });
  }

  /** The next event named `method`, waiting at most the command timeout. */
  waitFor(method: string, sessionId?: string): Promise<Params> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${method} in ${COMMAND_TIMEOUT_MS} ms`)),
        COMMAND_TIMEOUT_MS,
      );
      this.onEvent((name, params, session) => {
        if (name !== method || session !== sessionId) return;
        clearTimeout(timer);
        resolve(params);
      });
    });
  }

  /** A new tab, attached so that commands can be sent to it with the returned session id. */
  async newPage(): Promise<string> {
    const { targetId } = await this.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await this.send("Target.attachToTarget", { targetId, flatten: true });
    return sessionId as string;
  }

  async close(): Promise<void> {
    if (!this.exited) {
      const exited = new Promise((resolve) => this.child.once("exit", resolve));
      await this.send("Browser.close").catch(() => this.child.kill("SIGKILL"));
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (!this.exited) this.child.kill("SIGKILL");
    }
    await rm(this.profile, { recursive: true, force: true });
  }
}
