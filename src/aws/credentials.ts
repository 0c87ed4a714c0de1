import { UsageError } from "../errors.js";

/** The caller's AWS credentials as Lambda puts the execution role's into a function's environment. */
export interface CallerCredentials {
  variables: Record<string, string>;
  /** For the output: which key, without the secret (`access key …WXYZ`). */
  description: string;
}

/**
 * Resolves the caller's credentials once, through the SDK's default chain
 * (environment, profile of AWS_PROFILE, SSO, process, container or instance
 * role): for `--pass-aws-credentials` only.
 */
export async function resolveCallerCredentials(): Promise<CallerCredentials> {
  const { defaultProvider } = await import("@aws-sdk/credential-provider-node");
  let credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  try {
    credentials = await defaultProvider()();
  } catch (error) {
    throw new UsageError(
      `--pass-aws-credentials found no AWS credentials: ${(error as Error).message}`,
      {
        hint: "Configure them as for the AWS CLI (aws configure, aws sso login, AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or leave out --pass-aws-credentials.",
        cause: error,
      },
    );
  }
  const variables: Record<string, string> = {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  };
  if (credentials.sessionToken !== undefined)
    variables.AWS_SESSION_TOKEN = credentials.sessionToken;
  const kind = credentials.sessionToken === undefined ? "access key" : "temporary access key";
  return { variables, description: `${kind} …${credentials.accessKeyId.slice(-4)}` };
}

/** What the output says when the caller's credentials went into the sandboxes. */
export function credentialsWarning(credentials: CallerCredentials): string {
  return (
    `--pass-aws-credentials: your AWS credentials (${credentials.description}, from the SDK's default chain) ` +
    "are in every sandbox's environment, so the handler's AWS calls are real and act as you."
  );
}
