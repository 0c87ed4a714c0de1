import type { FunctionConfiguration } from "@aws-sdk/client-lambda";

/** The configuration fields lambda-tune changes, and nothing else. */
export interface TunedFields {
  memorySize: number;
  timeout: number;
  description: string;
}

export type TunedField = keyof TunedFields;

export function tunedFieldsOf(configuration: FunctionConfiguration): TunedFields {
  return {
    memorySize: configuration.MemorySize ?? 0,
    timeout: configuration.Timeout ?? 0,
    description: configuration.Description ?? "",
  };
}

export function sameFields(a: TunedFields, b: TunedFields): boolean {
  return (
    a.memorySize === b.memorySize && a.timeout === b.timeout && a.description === b.description
  );
}

/**
 * What a user can set on a function besides the tuned fields. LastModified,
 * RevisionId, State and LastUpdateStatus change by themselves, and the
 * runtime version with Lambda's automatic runtime updates, so they are not here.
 */
const OTHER_FIELDS = [
  "Role",
  "Handler",
  "Runtime",
  "CodeSha256",
  "PackageType",
  "Architectures",
  "Environment",
  "Layers",
  "VpcConfig",
  "DeadLetterConfig",
  "KMSKeyArn",
  "TracingConfig",
  "FileSystemConfigs",
  "ImageConfigResponse",
  "EphemeralStorage",
  "LoggingConfig",
] as const;

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, canonical(v)]),
  );
}

/**
 * The rest of the configuration as a string to compare: a change to any of
 * it between two reads is someone else's, since lambda-tune sets only the
 * tuned fields.
 */
export function otherSettingsOf(configuration: FunctionConfiguration): string {
  const record = configuration as Record<string, unknown>;
  return JSON.stringify(
    Object.fromEntries(OTHER_FIELDS.map((field) => [field, canonical(record[field]) ?? null])),
  );
}

/** The names of the other settings that differ between two `otherSettingsOf` strings. */
export function changedOtherSettings(before: string, after: string): string[] {
  const a = JSON.parse(before) as Record<string, unknown>;
  const b = JSON.parse(after) as Record<string, unknown>;
  return OTHER_FIELDS.filter((field) => JSON.stringify(a[field]) !== JSON.stringify(b[field]));
}

/** What a configuration is expected to be: the tuned fields, and the rest unchanged. */
export interface ExpectedState {
  fields: TunedFields;
  /** `otherSettingsOf` when known (journals of older versions lack it). */
  others: string | undefined;
}

export function isInState(configuration: FunctionConfiguration, expected: ExpectedState): boolean {
  return (
    sameFields(tunedFieldsOf(configuration), expected.fields) &&
    (expected.others === undefined || otherSettingsOf(configuration) === expected.others)
  );
}
