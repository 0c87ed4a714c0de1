import { invalidParameter, validationError } from "./api-error.js";

export const ACCOUNT_ID = "000000000000";

/** A function as an API call names it: the name, and the version or alias if any. */
export interface FunctionReference {
  name: string;
  qualifier?: string;
}

const NAME = "[A-Za-z0-9_-]{1,64}";
const QUALIFIER = "\\$LATEST|[A-Za-z0-9_-]{1,128}";
const FULL_ARN = new RegExp(
  `^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\\d{12}):function:(${NAME})(?::(${QUALIFIER}))?$`,
);
const PARTIAL_ARN = new RegExp(`^(\\d{12}):function:(${NAME})(?::(${QUALIFIER}))?$`);
const PLAIN = new RegExp(`^(${NAME})(?::(${QUALIFIER}))?$`);

export function functionArn(region: string, name: string, qualifier?: string): string {
  const arn = `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${name}`;
  return qualifier === undefined ? arn : `${arn}:${qualifier}`;
}

/**
 * Reads a function name, partial ARN or full ARN, with a qualifier in it or
 * in the `Qualifier` parameter (Lambda refuses the two when they differ).
 */
export function parseFunctionReference(
  text: string,
  qualifierParam: string | undefined,
): FunctionReference & { account: string } {
  const full = FULL_ARN.exec(text);
  const partial = full === null ? PARTIAL_ARN.exec(text) : null;
  const plain = full === null && partial === null ? PLAIN.exec(text) : null;
  let account: string | undefined;
  let name: string | undefined;
  let qualifier: string | undefined;
  if (full !== null) [, , account, name, qualifier] = full;
  else if (partial !== null) [, account, name, qualifier] = partial;
  else if (plain !== null) [, name, qualifier] = plain;
  if (name === undefined) {
    throw validationError(
      "functionName",
      text,
      "Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?",
    );
  }
  if (qualifier !== undefined && qualifierParam !== undefined && qualifier !== qualifierParam) {
    throw invalidParameter(
      "The derived qualifier from the function name does not match the specified qualifier.",
    );
  }
  const resolved = qualifier ?? qualifierParam;
  const reference: FunctionReference & { account: string } = {
    name,
    account: account ?? ACCOUNT_ID,
  };
  if (resolved !== undefined && resolved !== "") reference.qualifier = resolved;
  return reference;
}
