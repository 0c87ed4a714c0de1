/** A Lambda REST-JSON call recognised from its method and path. */
export interface LambdaRoute {
  operation: string;
  /** The `{FunctionName}` path segment, decoded (a name, partial ARN or ARN). */
  functionName?: string;
  aliasName?: string;
}

const PREFIX = "2015-03-31";

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

const BY_RESOURCE: Record<string, Record<string, string>> = {
  "": { GET: "GetFunction", DELETE: "DeleteFunction" },
  configuration: { GET: "GetFunctionConfiguration", PUT: "UpdateFunctionConfiguration" },
  versions: { GET: "ListVersionsByFunction", POST: "PublishVersion" },
  aliases: { GET: "ListAliases", POST: "CreateAlias" },
  invocations: { POST: "Invoke" },
};

const ALIAS_OPERATIONS: Record<string, string> = {
  GET: "GetAlias",
  PUT: "UpdateAlias",
  DELETE: "DeleteAlias",
};

/**
 * The Lambda operations the emulator serves, by the paths the AWS SDK v3
 * and the AWS CLI send (docs/lambda-facts.md, "Lambda API").
 */
export function matchLambdaRoute(method: string, pathname: string): LambdaRoute | undefined {
  const parts = pathname.split("/").slice(1);
  if (parts.at(-1) === "" && parts.length > 2) parts.pop();
  if (parts[0] !== PREFIX || parts[1] !== "functions") return undefined;
  if (parts.length === 2) return method === "GET" ? { operation: "ListFunctions" } : undefined;
  const functionName = decode(parts[2] ?? "");
  if (functionName === undefined || functionName === "") return undefined;
  if (parts.length <= 4) {
    const operation = BY_RESOURCE[parts[3] ?? ""]?.[method];
    return operation === undefined ? undefined : { operation, functionName };
  }
  if (parts.length === 5 && parts[3] === "aliases") {
    const operation = ALIAS_OPERATIONS[method];
    const aliasName = decode(parts[4] ?? "");
    if (operation === undefined || aliasName === undefined) return undefined;
    return { operation, functionName, aliasName };
  }
  return undefined;
}
