import { UsageError } from "../../errors.js";

/** An unqualified function as the user named it: a name, a full ARN or a partial ARN. */
export interface FunctionRef {
  /** What to pass as `FunctionName` to the Lambda API. */
  functionName: string;
  /** The bare name, for the log group `/aws/lambda/<name>` and for messages. */
  name: string;
  /** The region in a full ARN, when one was given. */
  region?: string;
}

// A version number or an alias name (Lambda's alias pattern: letters, digits, - and _).
const QUALIFIER = /^(\$LATEST|[0-9]+|[a-zA-Z0-9-_]+)$/;

function qualified(arg: string, base: string, qualifier: string): never {
  throw new UsageError(
    `'${arg}' names version or alias '${qualifier}'; tune the unqualified function`,
    {
      hint: `give '${base}': lambda-tune publishes a version per memory size itself, and --apply-alias NAME points an alias at the result`,
    },
  );
}

/**
 * Reads `my-fn`, `arn:aws:lambda:REGION:ACCOUNT:function:my-fn` or
 * `ACCOUNT:function:my-fn`; a qualifier (`:3`, `:live`) is refused, `:$LATEST`
 * is the unqualified function.
 */
export function parseFunctionRef(arg: string): FunctionRef {
  const parts = arg.split(":");
  let nameIndex: number;
  let region: string | undefined;
  if (parts[0] === "arn") {
    if (parts.length < 7 || parts[2] !== "lambda" || parts[5] !== "function") {
      throw new UsageError(`'${arg}' is not a Lambda function ARN`, {
        hint: "give a function name, or an ARN like arn:aws:lambda:us-east-1:123456789012:function:my-fn",
      });
    }
    nameIndex = 6;
    region = parts[3] === "" ? undefined : parts[3];
  } else if (parts.length >= 3 && parts[1] === "function") {
    nameIndex = 2;
  } else {
    nameIndex = 0;
  }
  const name = parts[nameIndex] ?? "";
  if (name === "" || parts.length > nameIndex + 2) {
    throw new UsageError(`'${arg}' is not a function name`, {
      hint: "give a function name (my-fn) or its ARN",
    });
  }
  const base = parts.slice(0, nameIndex + 1).join(":");
  const qualifier = parts[nameIndex + 1];
  if (qualifier !== undefined && qualifier !== "$LATEST") {
    if (!QUALIFIER.test(qualifier)) {
      throw new UsageError(`'${arg}' is not a function name`, {
        hint: "give a function name (my-fn) or its ARN",
      });
    }
    qualified(arg, base, qualifier);
  }
  return { functionName: base, name, ...(region !== undefined && { region }) };
}
