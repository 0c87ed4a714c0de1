import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { MAX_RESPONSE_BYTES } from "../lambda.js";

const PREFIX = "/2018-06-01/runtime";

/** One event handed to the runtime through /next. */
export interface RuntimeEvent {
  requestId: string;
  payload: string;
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId?: string;
  clientContext?: string;
  cognitoIdentity?: string;
}

/** What the runtime posted for an event; `at` is performance.now() when it arrived. */
export type RuntimeResult =
  | { kind: "response"; body: string; at: number }
  | { kind: "error"; errorType: string; body: string; at: number };

export interface InitErrorReport {
  errorType: string;
  body: string;
  at: number;
}

interface Pending {
  event: RuntimeEvent;
  handedOut: (at: number) => void;
  result: (result: RuntimeResult) => void;
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** Reads a body, keeping at most `limit` bytes; `size` counts everything sent. */
function readBody(req: IncomingMessage, limit: number): Promise<{ text: string; size: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on("end", () => resolve({ text: Buffer.concat(chunks).toString("utf8"), size }));
    req.on("error", reject);
  });
}

function errorTypeOf(req: IncomingMessage, body: string): string {
  const header = req.headers["lambda-runtime-function-error-type"];
  if (typeof header === "string" && header !== "") return header;
  try {
    const parsed = JSON.parse(body) as { errorType?: unknown };
    if (typeof parsed.errorType === "string") return parsed.errorType;
  } catch {}
  return "Runtime.Unknown";
}

/**
 * The Lambda Runtime API (2018-06-01) for one sandbox, on 127.0.0.1, a
 * random port and a secret path prefix: /next long-polls for the event
 * `deliver` hands over, and the runtime's response or error settles that
 * event's result. A request without the prefix is answered 403 and changes nothing.
 */
export class RuntimeApiServer {
  private waiting: ServerResponse | undefined;
  private queued: Pending | undefined;
  private current: Pending | undefined;
  private lastCompleted: string | undefined;
  private nextListeners: Array<(at: number) => void> = [];
  private initErrorListeners: Array<(report: InitErrorReport) => void> = [];

  /**
   * The secret path prefix only this sandbox's runtime knows: it is in the
   * runtime's AWS_LAMBDA_RUNTIME_API (`127.0.0.1:PORT/TOKEN`), so a runtime
   * that builds `http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/...`, as AWS's do,
   * sends it without knowing; any other local process gets 403.
   */
  private readonly token = randomBytes(16).toString("hex");

  private constructor(private readonly server: Server) {}

  static async listen(): Promise<RuntimeApiServer> {
    const server = createServer();
    const api = new RuntimeApiServer(server);
    server.on("request", (req, res) => {
      api.route(req, res).catch(() => {
        if (!res.headersSent)
          sendJson(res, 500, { errorMessage: "internal error", errorType: "InternalServerError" });
      });
    });
    server.keepAliveTimeout = 0;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return api;
  }

  /** `host:port/token`, the value of AWS_LAMBDA_RUNTIME_API. */
  get address(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `${address}:${port}/${this.token}`;
  }

  /** Calls `listener` each time the runtime asks for the next event. */
  onNext(listener: (at: number) => void): void {
    this.nextListeners.push(listener);
  }

  onInitError(listener: (report: InitErrorReport) => void): void {
    this.initErrorListeners.push(listener);
  }

  /**
   * Hands `event` to the runtime at its next /next. `handedOut` resolves when
   * it does; `result` when the runtime posts a response or an error.
   */
  deliver(event: RuntimeEvent): { handedOut: Promise<number>; result: Promise<RuntimeResult> } {
    if (this.queued !== undefined || this.current !== undefined) {
      throw new Error("a sandbox serves one invocation at a time");
    }
    let handedOut!: (at: number) => void;
    let result!: (result: RuntimeResult) => void;
    const handedOutPromise = new Promise<number>((r) => {
      handedOut = r;
    });
    const resultPromise = new Promise<RuntimeResult>((r) => {
      result = r;
    });
    this.queued = { event, handedOut, result };
    this.handOut();
    return { handedOut: handedOutPromise, result: resultPromise };
  }

  /** Forgets the event in progress (after a timeout or a crash); late posts get 400. */
  abandon(): void {
    this.queued = undefined;
    this.current = undefined;
  }

  async close(): Promise<void> {
    this.waiting?.destroy();
    this.waiting = undefined;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handOut(): void {
    const res = this.waiting;
    const pending = this.queued;
    if (res === undefined || pending === undefined) return;
    this.waiting = undefined;
    this.queued = undefined;
    this.current = pending;
    const { event } = pending;
    const headers: Record<string, string | number> = {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(event.payload),
      "lambda-runtime-aws-request-id": event.requestId,
      "lambda-runtime-deadline-ms": String(event.deadlineMs),
      "lambda-runtime-invoked-function-arn": event.invokedFunctionArn,
    };
    // Optional headers are sent only when they have a value, as Lambda does.
    if (event.traceId) headers["lambda-runtime-trace-id"] = event.traceId;
    if (event.clientContext) headers["lambda-runtime-client-context"] = event.clientContext;
    if (event.cognitoIdentity) headers["lambda-runtime-cognito-identity"] = event.cognitoIdentity;
    pending.handedOut(performance.now());
    res.writeHead(200, headers);
    res.end(event.payload);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "").split("?")[0] ?? "";
    const own = `/${this.token}/`;
    if (!path.startsWith(own)) {
      // Not this sandbox's runtime: refused before it can touch the invocation or the waiting /next.
      req.resume();
      return sendJson(res, 403, {
        errorMessage: "this Runtime API serves only its own sandbox's runtime",
        errorType: "AccessDenied",
      });
    }
    const url = path.slice(own.length - 1);
    if (url === `${PREFIX}/invocation/next`) {
      if (req.method !== "GET") return this.methodNotAllowed(res);
      return this.next(req, res);
    }
    if (url === `${PREFIX}/init/error`) {
      if (req.method !== "POST") return this.methodNotAllowed(res);
      const { text } = await readBody(req, MAX_RESPONSE_BYTES);
      const report = { errorType: errorTypeOf(req, text), body: text, at: performance.now() };
      sendJson(res, 202, { status: "OK" });
      for (const listener of this.initErrorListeners) listener(report);
      return;
    }
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    if (match === null) {
      return sendJson(res, 404, { errorMessage: `no route for ${url}`, errorType: "NotFound" });
    }
    if (req.method !== "POST") return this.methodNotAllowed(res);
    const requestId = decodeURIComponent(match[1] ?? "");
    const kind = match[2];
    const at = performance.now();
    const { text, size } = await readBody(req, MAX_RESPONSE_BYTES);
    const current = this.current;
    if (current === undefined || current.event.requestId !== requestId) {
      // The real Runtime API: a second post for a finished invocation is an invalid state transition (403); an unknown id is 400.
      if (requestId === this.lastCompleted) {
        return sendJson(res, 403, {
          errorMessage: `State transition is not allowed: ${kind} already sent for ${requestId}`,
          errorType: "InvalidStateTransition",
        });
      }
      return sendJson(res, 400, {
        errorMessage: "Invalid request ID",
        errorType: "InvalidRequestID",
      });
    }
    this.current = undefined;
    this.lastCompleted = requestId;
    if (kind === "response" && size > MAX_RESPONSE_BYTES) {
      sendJson(res, 413, {
        errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
        errorType: "RequestEntityTooLarge",
      });
      const body = JSON.stringify({
        errorMessage: `Response payload size (${size} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
        errorType: "Function.ResponseSizeTooLarge",
      });
      return current.result({
        kind: "error",
        errorType: "Function.ResponseSizeTooLarge",
        body,
        at,
      });
    }
    sendJson(res, 202, { status: "OK" });
    if (kind === "response") current.result({ kind: "response", body: text, at });
    else current.result({ kind: "error", errorType: errorTypeOf(req, text), body: text, at });
  }

  private next(req: IncomingMessage, res: ServerResponse): void {
    const at = performance.now();
    this.waiting?.destroy();
    this.waiting = res;
    // A runtime that asks for the next event gave up on the current one without answering.
    this.current = undefined;
    req.on("close", () => {
      if (this.waiting === res && !res.writableEnded) this.waiting = undefined;
    });
    for (const listener of this.nextListeners) listener(at);
    this.handOut();
  }

  private methodNotAllowed(res: ServerResponse): void {
    sendJson(res, 405, { errorMessage: "method not allowed", errorType: "MethodNotAllowed" });
  }
}
