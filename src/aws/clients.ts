import { join } from "node:path";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { loadSharedConfigFiles } from "@smithy/core/config";
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
  /**
   * The environment to read AWS_REGION, AWS_DEFAULT_REGION, AWS_PROFILE and
   * the shared config file locations from (the SDK reads credentials itself).
   */
  env?: Readonly<Record<string, string | undefined>>;
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
  const env = options.env ?? {};
  checkEndpoint(options.endpointUrl);
  const named = options.profile ?? nonEmpty(env.AWS_PROFILE);
  // As the AWS CLI: --region, then AWS_REGION, then AWS_DEFAULT_REGION, then the profile's.
  let givenRegion = options.region ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
  if (options.lambdaClient === undefined && (named !== undefined || givenRegion === undefined)) {
    const profile = await readProfile(named ?? "default", env);
    if (named !== undefined && profile === undefined) {
      throw await profileNotFound(
        named,
        options.profile !== undefined ? "--profile" : "AWS_PROFILE",
        env,
      );
    }
    givenRegion ??= nonEmpty(profile?.region);
  }
  const config = {
    ...(givenRegion !== undefined && { region: givenRegion }),
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
        hint: "pass --region (e.g. --region us-east-1), set AWS_REGION or AWS_DEFAULT_REGION, or set `region` in the profile of ~/.aws/config",
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

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** An endpoint the SDK can call: an http(s) URL. */
function checkEndpoint(endpointUrl: string | undefined): void {
  if (endpointUrl === undefined) return;
  let url: URL | undefined;
  try {
    url = new URL(endpointUrl);
  } catch {}
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new UsageError(`--endpoint-url '${endpointUrl}' is not an http or https URL`, {
      hint: "give a whole URL, e.g. --endpoint-url http://127.0.0.1:3001 (what `lambda-tune emulate` prints)",
    });
  }
}

/** Where the shared config and credentials files are, as the AWS CLI finds them. */
function sharedFiles(env: Readonly<Record<string, string | undefined>>) {
  const home = env.HOME ?? env.USERPROFILE ?? "";
  return {
    configFilepath: nonEmpty(env.AWS_CONFIG_FILE) ?? join(home, ".aws", "config"),
    filepath: nonEmpty(env.AWS_SHARED_CREDENTIALS_FILE) ?? join(home, ".aws", "credentials"),
  };
}

/** A profile's settings from ~/.aws/config and ~/.aws/credentials, if either has it. */
async function readProfile(
  name: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Record<string, string | undefined> | undefined> {
  const files = await loadSharedConfigFiles(sharedFiles(env));
  const config = files.configFile[name];
  const credentials = files.credentialsFile[name];
  if (config === undefined && credentials === undefined) return undefined;
  return { ...credentials, ...config };
}

/** What the AWS CLI says of a profile it cannot find, with the profiles there are. */
async function profileNotFound(
  profile: string,
  from: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<UsageError> {
  const paths = sharedFiles(env);
  const files = await loadSharedConfigFiles(paths);
  const known = [
    ...new Set([...Object.keys(files.configFile), ...Object.keys(files.credentialsFile)]),
  ].sort();
  return new UsageError(`the config profile (${profile}) could not be found`, {
    hint:
      known.length === 0
        ? `${from} names a profile, but ${paths.configFilepath} and ${paths.filepath} have none; create it with \`aws configure --profile ${profile}\`, or drop ${from}`
        : `${from} must name a profile of ${paths.configFilepath} or ${paths.filepath}: ${known.join(", ")}`,
  });
}
