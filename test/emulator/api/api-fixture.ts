import { fileURLToPath } from "node:url";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { LambdaClient } from "@aws-sdk/client-lambda";
import {
  type LambdaApi,
  type LambdaApiOptions,
  startLambdaApi,
} from "../../../src/emulator/api/lambda-api.js";
import { NoLimits } from "../../../src/emulator/limits/none.js";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

export interface TestApi {
  api: LambdaApi;
  lambda: LambdaClient;
  logs: CloudWatchLogsClient;
  close(): Promise<void>;
}

/** The emulator's API on a random loopback port (no limits: these tests check the API, not CPU shares), with real SDK clients. */
export async function startTestApi(
  options: Partial<LambdaApiOptions> & Pick<LambdaApiOptions, "functions">,
  clientOptions: { maxAttempts?: number } = {},
): Promise<TestApi> {
  const api = await startLambdaApi({
    isolation: new NoLimits(),
    hostCores: 2,
    auth: { accessKeyId: "test", secretAccessKey: "test" },
    cwd: ROOT,
    updateDelayMs: 150,
    ...options,
  });
  const common = {
    endpoint: api.url,
    region: "us-east-1",
    credentials: CREDENTIALS,
    ...clientOptions,
  };
  const lambda = new LambdaClient(common);
  const logs = new CloudWatchLogsClient(common);
  return {
    api,
    lambda,
    logs,
    async close() {
      lambda.destroy();
      logs.destroy();
      await api.close();
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
