import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { UsageError } from "../errors.js";
import { userErrorFor } from "./errors.js";

/** How to reach AWS, as the AWS CLI spells it: --region, --profile, --endpoint-url. */
export interface AwsConnectionOptions {
  /** Else the SDK's default chain: AWS_REGION, then the profile's `region`. */
  region?: string;
  /** A named profile of ~/.aws/config and ~/.aws/credentials; else AWS_PROFILE or `default`. */
  profile?: string;
  /** E.g. the emulator's `http://127.0.0.1:PORT`; else Lambda's regional endpoint. */
  endpointUrl?: string;
  /** SDK attempts per call, retries of throttling and transient errors included (default 5). */
  maxAttempts?: number;
  /** The SDK's retry mode (default `standard`; `adaptive` also slows the whole client down after throttling, which made 100 throttled invocations take minutes). */
  retryMode?: "standard" | "adaptive";
  /** Clients to use instead of building them (tests, callers with their own configuration). */
  lambdaClient?: LambdaClient;
  logsClient?: CloudWatchLogsClient;
}

export interface AwsClients {
  lambda: LambdaClient;
  /**
   * For Invoke: one attempt per send, so the caller sees every attempt and
   * knows when one may have run with its answer lost (the SDK's retry would hide it).
   */
  invoker: LambdaClient;
  logs: CloudWatchLogsClient;
  region: string;
  /** For messages: the endpoint URL given, or Lambda's in that region. */
  endpoint: string;
  /** Closes the clients this module built (not injected ones). */
  destroy(): void;
}

const DEFAULT_MAX_ATTEMPTS = 5;

/** Builds the Lambda and CloudWatch Logs clients, with the region checked before any call. */
export async function createAwsClients(options: AwsConnectionOptions): Promise<AwsClients> {
  const config = {
    ...(options.region !== undefined && { region: options.region }),
    ...(options.profile !== undefined && { profile: options.profile }),
    ...(options.endpointUrl !== undefined && { endpoint: options.endpointUrl }),
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: options.retryMode ?? "standard",
  };
  const lambda = options.lambdaClient ?? new LambdaClient(config);
  let region: string;
  try {
    region = await lambda.config.region();
  } catch (error) {
    if (options.lambdaClient === undefined) lambda.destroy();
    throw (
      userErrorFor(error, {
        action: "reading the profile",
        functionName: "",
        endpoint: options.endpointUrl ?? "AWS",
        changed: false,
      }) ??
      new UsageError("no AWS region given", {
        hint: "pass --region (e.g. --region us-east-1), set AWS_REGION, or set `region` in the profile of ~/.aws/config",
        cause: error,
      })
    );
  }
  const invoker = options.lambdaClient ?? new LambdaClient({ ...config, region, maxAttempts: 1 });
  const logs =
    options.logsClient ??
    new CloudWatchLogsClient({ ...config, region, maxAttempts: config.maxAttempts });
  return {
    lambda,
    invoker,
    logs,
    region,
    endpoint: options.endpointUrl ?? `https://lambda.${region}.amazonaws.com`,
    destroy() {
      if (options.lambdaClient === undefined) {
        lambda.destroy();
        invoker.destroy();
      }
      if (options.logsClient === undefined) logs.destroy();
    },
  };
}
