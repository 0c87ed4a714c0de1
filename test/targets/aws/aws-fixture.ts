import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type FunctionConfiguration,
  GetFunctionConfigurationCommand,
  LambdaClient,
  paginateListVersionsByFunction,
} from "@aws-sdk/client-lambda";
import {
  type LambdaApi,
  type LambdaApiOptions,
  startLambdaApi,
} from "../../../src/emulator/api/lambda-api.js";
import { NoLimits } from "../../../src/emulator/limits/none.js";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Credentials the SDK's default chain finds in the environment; the emulator ignores them. */
export const TEST_ENV = {
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
};

/** Puts TEST_ENV into this test process, which the SDK's default chain reads. */
export function useTestCredentials(): void {
  Object.assign(process.env, TEST_ENV);
}

export interface Emulator {
  api: LambdaApi;
  url: string;
  /** An SDK client for the test's own look at the function (one attempt, no retries). */
  admin: LambdaClient;
  /** A fresh journal directory. */
  stateDir: string;
  close(): Promise<void>;
}

/** The emulator's Lambda API on a random loopback port, no CPU limits (these tests check the API calls). */
export async function startEmulator(
  options: Partial<LambdaApiOptions> & Pick<LambdaApiOptions, "functions">,
): Promise<Emulator> {
  const api = await startLambdaApi({
    isolation: new NoLimits(),
    hostCores: 2,
    auth: { accessKeyId: "test", secretAccessKey: "test" },
    cwd: ROOT,
    updateDelayMs: 100,
    ...options,
  });
  const admin = new LambdaClient({
    endpoint: api.url,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  const stateDir = await mkdtemp(join(tmpdir(), "lambda-tune-journal-"));
  return {
    api,
    url: api.url,
    admin,
    stateDir,
    async close() {
      admin.destroy();
      await api.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

export const NOOP = "fixtures/functions/noop/index.handler";
export const THROWS = "fixtures/functions/throws/index.handler";
export const ECHO = "fixtures/functions/echo-context/index.handler";

/** What must be equal before and after a run: the configuration but for LastModified and RevisionId. */
export async function configurationOf(
  admin: LambdaClient,
  name: string,
): Promise<FunctionConfiguration> {
  const config = await admin.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
  const {
    LastModified: _modified,
    RevisionId: _revision,
    $metadata: _meta,
    ...rest
  } = config as FunctionConfiguration & { $metadata?: unknown };
  return rest;
}

export async function versionsOf(admin: LambdaClient, name: string): Promise<string[]> {
  const versions: string[] = [];
  for await (const page of paginateListVersionsByFunction(
    { client: admin },
    { FunctionName: name },
  )) {
    for (const v of page.Versions ?? [])
      versions.push(`${v.Version} ${v.MemorySize} ${v.Description}`);
  }
  return versions;
}
