import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { RuntimeInfo } from "../../document/result.js";
import { UsageError } from "../../errors.js";
import { MAX_INVOKE_PAYLOAD_BYTES } from "../../lambda.js";
import type { LimitBackend } from "../limits/types.js";
import { type PreparedHandler, type RuntimeRequest, runtimeInfo } from "../runtimes/index.js";
import { runAsFor } from "../runtimes/run-as.js";
import {
  ApiError,
  resourceConflict,
  sendJsonRpcError,
  sendLambdaError,
  serviceError,
  tooManyRequests,
} from "./api-error.js";
import { emulatedFunction, type FunctionDefinition, prepareFunction } from "./emulated-function.js";
import {
  type Fault,
  FaultInjector,
  type FaultKind,
  type FaultPlan,
  parseFaultSpec,
} from "./faults.js";
import { functionArn, parseFunctionReference } from "./function-reference.js";
import { FunctionStore } from "./function-store.js";
import { parseJsonObject, readBody, sendJson } from "./http-io.js";
import { invokeFunction } from "./invoke-operation.js";
import { LAMBDA_OPERATIONS, type LambdaApiContext } from "./lambda-operations.js";
import { matchLambdaRoute } from "./lambda-routes.js";
import { LogStore } from "./log-store.js";
import { answerLogsOperation } from "./logs-api.js";
import { type ApiAuth, checkLocalRequest, verifySignature } from "./request-guard.js";
import { VersionPools } from "./version-pools.js";

export interface LambdaApiOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  functions: readonly FunctionDefinition[];
  /** How long an update stays InProgress before it is Successful (default 200 ms). */
  updateDelayMs?: number;
  /** How limits are enforced; the API owns it from here and disposes it in close(). */
  isolation: LimitBackend;
  hostCores: number;
  /** Where relative handler paths start. */
  cwd: string;
  /** `--runtime` and `--python` for every function, and the environment interpreters are found in (process.env when absent). */
  runtime?: Partial<Omit<RuntimeRequest, "cwd">>;
  /** Added to every sandbox's environment, never shown in the configuration (`--pass-aws-credentials`). */
  credentials?: Readonly<Record<string, string>>;
  region?: string;
  /** Sandboxes one function version may run at once (default 4); more calls wait. */
  concurrency?: number;
  faults?: FaultPlan;
  /** Epoch milliseconds; LastModified, log timestamps and update completion follow it. */
  clock?: () => number;
  /** Alias routing draws (default Math.random). */
  random?: () => number;
  /** Events kept per log group (default 10,000); older ones are dropped. */
  maxLogEventsPerGroup?: number;
  /**
   * Who may call: requests SigV4-signed with this key pair, as every AWS client
   * signs them, or `none` (any local process; `emulate --no-auth`).
   */
  auth: ApiAuth;
  /**
   * Environment variables that load code into a runtime (NODE_OPTIONS, ...)
   * that UpdateFunctionConfiguration may set nonetheless (`--allow-env`).
   */
  allowEnv?: readonly string[];
}

export interface LambdaApi {
  url: string;
  port: number;
  faults: FaultInjector;
  /** Each function and what runs it, in the order defined. */
  functions: { name: string; runtime: RuntimeInfo }[];
  /**
   * What the user should know about the functions' runtimes (a version other
   * than asked for) and how they run (e.g. as root, and why).
   */
  warnings: string[];
  /** Lines worth showing once (how long compiling took). */
  notes: string[];
  /** Stops listening, ends every sandbox, waits for background invocations, disposes the isolation. */
  close(): Promise<void>;
}

const MAX_REQUEST_BYTES = 1024 * 1024;
const LOGS_TARGET = "Logs_20140328.";

type ErrorFault = Exclude<FaultKind, "drop" | "drop-after-run" | "delay" | "delay-after-run">;

/**
 * Applies what a fault does before the call runs: true when the call must not
 * run (its connection was dropped); an error fault throws.
 */
async function beforeCall(
  fault: Fault | undefined,
  req: IncomingMessage,
  error: (kind: ErrorFault) => ApiError,
): Promise<boolean> {
  if (fault === undefined || fault.kind === "drop-after-run" || fault.kind === "delay-after-run") {
    return false;
  }
  if (fault.kind === "drop") {
    req.socket.destroy();
    return true;
  }
  if (fault.kind === "delay") {
    await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    return false;
  }
  throw error(fault.kind);
}

/**
 * Sends an answer, unless a drop-after-run fault loses it (the call ran, the
 * client never hears) or a delay-after-run fault holds it.
 */
async function answer(
  fault: Fault | undefined,
  req: IncomingMessage,
  send: () => void,
): Promise<void> {
  if (fault?.kind === "drop-after-run") return void req.socket.destroy();
  if (fault?.kind === "delay-after-run") {
    await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (req.socket.destroyed) return;
  }
  send();
}

function lambdaFault(kind: ErrorFault, arn: string): ApiError {
  if (kind === "429") return tooManyRequests();
  if (kind === "409") return resourceConflict(`An update is in progress for resource: ${arn}`);
  return serviceError();
}

function logsFault(kind: ErrorFault): ApiError {
  if (kind === "429") return new ApiError(400, "ThrottlingException", "Rate exceeded");
  if (kind === "409") {
    return new ApiError(
      400,
      "OperationAbortedException",
      "Multiple requests to modify the same resource were in conflict.",
    );
  }
  return new ApiError(
    500,
    "ServiceUnavailableException",
    "The emulator was asked to fail this call.",
  );
}

/**
 * Lambda's REST-JSON API and CloudWatch Logs' JSON 1.1 API for local
 * handlers, on 127.0.0.1 only, with test hooks under `/_emulator/`.
 */
export async function startLambdaApi(options: LambdaApiOptions): Promise<LambdaApi> {
  const now = options.clock ?? Date.now;
  const region = options.region ?? "us-east-1";
  const store = new FunctionStore(region, now, options.updateDelayMs ?? 200, {
    allowEnv: options.allowEnv ?? [],
  });
  const prepared: PreparedHandler[] = [];
  const disposePrepared = () => Promise.all(prepared.map((handler) => handler.dispose()));
  try {
    const request: RuntimeRequest = {
      ...options.runtime,
      env: options.runtime?.env ?? process.env,
      cwd: options.cwd,
    };
    for (const definition of options.functions) {
      if (store.has(definition.name)) {
        throw new UsageError(`function ${definition.name} is defined twice`, {
          hint: "Give every function its own name.",
        });
      }
      const handler = await prepareFunction(definition, request);
      prepared.push(handler);
      store.add(emulatedFunction(definition, handler, now()));
    }
  } catch (error) {
    await disposePrepared();
    await options.isolation.dispose();
    throw error;
  }
  const logs = new LogStore(now, options.maxLogEventsPerGroup);
  const pools = new VersionPools({
    isolation: options.isolation,
    hostCores: options.hostCores,
    region,
    concurrency: options.concurrency ?? 4,
    billInit: true,
    ...(options.credentials !== undefined && { credentials: options.credentials }),
    onLog: (name, log, stream) => logs.appendLog(`/aws/lambda/${name}`, stream, log),
  });
  const faults = new FaultInjector(options.faults);
  const ctx: LambdaApiContext = { store, pools, region, random: options.random ?? Math.random };
  const background = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    const settled = work.catch(() => {}).finally(() => background.delete(settled));
    background.add(settled);
  };

  async function control(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    body: Buffer,
  ): Promise<void> {
    if (path === "/_emulator/calls" && req.method === "GET") {
      return sendJson(res, 200, { calls: faults.allCalls() });
    }
    if (path === "/_emulator/faults" && req.method === "DELETE") {
      faults.clear();
      return sendJson(res, 204, undefined);
    }
    if (path === "/_emulator/faults" && req.method === "POST") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString("utf8"));
      } catch {
        return sendJson(res, 400, {
          message: "the body must be JSON: a fault or a list of faults",
        });
      }
      const specs = (Array.isArray(parsed) ? parsed : [parsed]).map(parseFaultSpec);
      const problem = specs.find((spec) => typeof spec === "string");
      if (problem !== undefined) return sendJson(res, 400, { message: problem });
      for (const spec of specs) if (typeof spec !== "string") faults.inject(spec);
      return sendJson(res, 200, { queued: specs.length });
    }
    return sendJson(res, 404, { message: `no emulator control endpoint ${req.method} ${path}` });
  }

  async function logsCall(
    req: IncomingMessage,
    res: ServerResponse,
    target: string,
    raw: Buffer,
  ): Promise<void> {
    const operation = target.slice(LOGS_TARGET.length);
    try {
      const body = parseJsonObject(raw);
      const fault = faults.take(operation);
      if (await beforeCall(fault, req, logsFault)) return;
      const result = answerLogsOperation(operation, body, logs, region);
      await answer(fault, req, () => sendJson(res, 200, result, "application/x-amz-json-1.1"));
    } catch (error) {
      sendJsonRpcError(
        res,
        error instanceof ApiError
          ? error
          : new ApiError(500, "ServiceUnavailableException", String(error)),
      );
    }
  }

  async function lambdaCall(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: Buffer,
  ): Promise<void> {
    const route = matchLambdaRoute(req.method ?? "GET", url.pathname);
    try {
      if (route === undefined) {
        throw new ApiError(
          404,
          "UnknownOperationException",
          `Unknown operation ${req.method} ${url.pathname}`,
        );
      }
      const isInvoke = route.operation === "Invoke";
      const qualifier = url.searchParams.get("Qualifier") ?? undefined;
      const reference =
        route.functionName === undefined
          ? undefined
          : parseFunctionReference(route.functionName, qualifier);
      const fault = faults.take(route.operation);
      const arn = functionArn(region, reference?.name ?? "unknown");
      if (await beforeCall(fault, req, (kind) => lambdaFault(kind, arn))) return;
      if (reference !== undefined && reference.account !== "000000000000") {
        throw new ApiError(
          404,
          "ResourceNotFoundException",
          `Function not found: ${route.functionName}`,
        );
      }
      if (isInvoke && reference !== undefined) {
        const invoked = await invokeFunction(ctx, reference, req.headers, body, track);
        await answer(fault, req, () => {
          res.writeHead(invoked.status, invoked.headers);
          res.end(invoked.body);
        });
        return;
      }
      const operation = LAMBDA_OPERATIONS[route.operation];
      if (operation === undefined)
        throw new ApiError(404, "UnknownOperationException", route.operation);
      const input = parseJsonObject(body);
      const result = operation(ctx, {
        reference,
        aliasName: route.aliasName,
        query: url.searchParams,
        input,
      });
      await answer(fault, req, () => sendJson(res, result.status, result.body));
    } catch (error) {
      if (res.headersSent || res.destroyed) return;
      sendLambdaError(
        res,
        error instanceof ApiError ? error : new ApiError(500, "ServiceException", String(error)),
      );
    }
  }

  /**
   * Reads the body of a request that may go on: from a local client (a
   * loopback Host, no web page's Origin) and, unless auth is off, signed with
   * the key pair. Anything else is answered 403 and changes nothing.
   */
  async function admit(
    req: IncomingMessage,
    res: ServerResponse,
    maxBytes: number,
    refuse: (res: ServerResponse, error: ApiError) => void,
  ): Promise<Buffer | undefined> {
    const foreign = checkLocalRequest(req.headers);
    if (foreign !== undefined) {
      refuse(res, foreign);
      return undefined;
    }
    let body: Buffer;
    try {
      body = await readBody(req, maxBytes);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      refuse(res, error);
      return undefined;
    }
    if (options.auth !== "none") {
      const request = { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers };
      const refused = await verifySignature(request, body, options.auth, Date.now());
      if (refused !== undefined) {
        refuse(res, refused);
        return undefined;
      }
    }
    return body;
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const target = req.headers["x-amz-target"];
    if (url.pathname.startsWith("/_emulator/")) {
      const body = await admit(req, res, MAX_REQUEST_BYTES, sendLambdaError);
      if (body !== undefined) await control(req, res, url.pathname, body);
    } else if (
      req.method === "POST" &&
      typeof target === "string" &&
      target.startsWith(LOGS_TARGET)
    ) {
      const body = await admit(req, res, MAX_REQUEST_BYTES, sendJsonRpcError);
      if (body !== undefined) await logsCall(req, res, target, body);
    } else {
      const invoke = matchLambdaRoute(req.method ?? "GET", url.pathname)?.operation === "Invoke";
      const limit = invoke ? MAX_INVOKE_PAYLOAD_BYTES : MAX_REQUEST_BYTES;
      const body = await admit(req, res, limit, sendLambdaError);
      if (body !== undefined) await lambdaCall(req, res, url, body);
    }
  }

  const server = createServer((req, res) => {
    route(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { message: "internal emulator error" });
      else res.destroy();
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      // Loopback only: the emulator runs code on request and must not be reachable from elsewhere.
      server.listen(options.port ?? 0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    await disposePrepared();
    await options.isolation.dispose();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;

  const warnings = store.list().flatMap((fn) => {
    const { warning } = runAsFor(fn.code.runtime, fn.code.taskRoot);
    return warning === undefined ? [] : [`${fn.name}: ${warning}`];
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    faults,
    functions: options.functions.map((definition, i) => ({
      name: definition.name,
      runtime: runtimeInfo(prepared[i] as PreparedHandler),
    })),
    warnings: [
      ...prepared.flatMap((handler, i) =>
        handler.warnings.map((w) => `${options.functions[i]?.name}: ${w}`),
      ),
      ...warnings,
    ],
    notes: prepared.flatMap((handler) => handler.notes),
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await pools.close();
        while (background.size > 0) await Promise.all([...background]);
        await stopped;
        await options.isolation.dispose();
        await disposePrepared();
      })();
      return closing;
    },
  };
}
