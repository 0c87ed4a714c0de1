import { Agent, request } from "node:http";

export interface NextInvocation {
  requestId: string;
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId: string | undefined;
  clientContext: string | undefined;
  cognitoIdentity: string | undefined;
  event: string;
}

/** A minimal client of the Lambda Runtime API (2018-06-01), over one keep-alive connection. */
export class RuntimeClient {
  // Keep-alive sockets are unref'd while idle, so they never hold the event loop open.
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly host: string;
  private readonly port: number;
  /** A path AWS_LAMBDA_RUNTIME_API may carry after host:port (the emulator's secret), else "". */
  private readonly prefix: string;

  /** `address` is AWS_LAMBDA_RUNTIME_API: `host:port`, or `host:port/path` as the emulator sets it. */
  constructor(address: string) {
    const slash = address.indexOf("/");
    const hostPort = slash < 0 ? address : address.slice(0, slash);
    this.prefix = slash < 0 ? "" : address.slice(slash).replace(/\/+$/, "");
    const colon = hostPort.lastIndexOf(":");
    this.host = hostPort.slice(0, colon);
    this.port = Number(hostPort.slice(colon + 1));
  }

  private send(
    method: string,
    path: string,
    body?: string,
    headers: Record<string, string> = {},
  ): Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.host,
          port: this.port,
          method,
          path: `${this.prefix}/2018-06-01${path}`,
          agent: this.agent,
          headers:
            body === undefined ? headers : { ...headers, "content-type": "application/json" },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString("utf8"),
            }),
          );
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  async next(): Promise<NextInvocation> {
    const res = await this.send("GET", "/runtime/invocation/next");
    const header = (name: string) => {
      const value = res.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    return {
      requestId: header("lambda-runtime-aws-request-id") ?? "",
      deadlineMs: Number(header("lambda-runtime-deadline-ms")),
      invokedFunctionArn: header("lambda-runtime-invoked-function-arn") ?? "",
      traceId: header("lambda-runtime-trace-id"),
      clientContext: header("lambda-runtime-client-context"),
      cognitoIdentity: header("lambda-runtime-cognito-identity"),
      event: res.body,
    };
  }

  async postResponse(requestId: string, body: string): Promise<number> {
    return (await this.send("POST", `/runtime/invocation/${requestId}/response`, body)).status;
  }

  async postError(requestId: string, errorType: string, body: string): Promise<number> {
    const headers = { "lambda-runtime-function-error-type": errorType };
    return (await this.send("POST", `/runtime/invocation/${requestId}/error`, body, headers))
      .status;
  }

  async postInitError(errorType: string, body: string): Promise<number> {
    const headers = { "lambda-runtime-function-error-type": errorType };
    return (await this.send("POST", "/runtime/init/error", body, headers)).status;
  }
}
