import { ACCOUNT_ID, functionArn } from "./function-reference.js";
import type { EmulatedFunction, FunctionSettings, PublishedVersion } from "./function-store.js";

/** Lambda's LastModified: ISO 8601 with milliseconds and `+0000` (`2024-05-01T10:11:12.123+0000`). */
export function lambdaTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace("Z", "+0000");
}

export function hostArchitecture(): "x86_64" | "arm64" {
  return process.arch === "arm64" ? "arm64" : "x86_64";
}

interface Shown {
  version: string;
  settings: FunctionSettings;
  revisionId: string;
  lastModified: number;
  lastUpdateStatus: "InProgress" | "Successful";
  /** How FunctionArn is qualified: none for $LATEST itself, else the version. */
  arnQualifier?: string;
}

/**
 * Lambda's runtime version ARN (`arn:aws:lambda:REGION::runtime:ID`), its ID
 * naming the local interpreter that runs the function: `local:3.11.2:/usr/bin/python3.11`.
 */
function runtimeVersionArn(fn: EmulatedFunction, region: string): string {
  const { path, version } = fn.code.runtime.interpreter;
  return `arn:aws:lambda:${region}::runtime:local:${version ?? ""}:${path}`;
}

function configuration(fn: EmulatedFunction, shown: Shown, region: string) {
  const { settings } = shown;
  const variables = Object.keys(settings.environment).length;
  return {
    FunctionName: fn.name,
    FunctionArn: functionArn(region, fn.name, shown.arnQualifier),
    Runtime: fn.code.runtime.name,
    RuntimeVersionConfig: { RuntimeVersionArn: runtimeVersionArn(fn, region) },
    Role: `arn:aws:iam::${ACCOUNT_ID}:role/lambda-tune-emulator`,
    Handler: fn.code.handler,
    CodeSize: fn.codeSize,
    Description: settings.description,
    Timeout: settings.timeoutSeconds,
    MemorySize: settings.memoryMb,
    LastModified: lambdaTimestamp(shown.lastModified),
    CodeSha256: fn.codeSha256,
    Version: shown.version,
    ...(variables === 0 ? {} : { Environment: { Variables: { ...settings.environment } } }),
    TracingConfig: { Mode: "PassThrough" },
    RevisionId: shown.revisionId,
    State: "Active",
    LastUpdateStatus: shown.lastUpdateStatus,
    PackageType: "Zip",
    Architectures: [hostArchitecture()],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: "None", OptimizationStatus: "Off" },
    LoggingConfig: { LogFormat: "Text", LogGroup: `/aws/lambda/${fn.name}` },
  };
}

export type FunctionConfiguration = ReturnType<typeof configuration>;

/** $LATEST as GetFunctionConfiguration shows it (`qualified` as ListVersionsByFunction does). */
export function latestConfiguration(
  fn: EmulatedFunction,
  region: string,
  inProgress: boolean,
  qualified = false,
): FunctionConfiguration {
  return configuration(
    fn,
    {
      version: "$LATEST",
      settings: fn.settings,
      revisionId: fn.revisionId,
      lastModified: fn.lastModified,
      lastUpdateStatus: inProgress ? "InProgress" : "Successful",
      ...(qualified ? { arnQualifier: "$LATEST" } : {}),
    },
    region,
  );
}

export function versionConfiguration(
  fn: EmulatedFunction,
  version: PublishedVersion,
  region: string,
): FunctionConfiguration {
  return configuration(
    fn,
    {
      version: version.version,
      settings: version.settings,
      revisionId: version.revisionId,
      lastModified: version.lastModified,
      lastUpdateStatus: "Successful",
      arnQualifier: version.version,
    },
    region,
  );
}
