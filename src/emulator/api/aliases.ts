import { randomUUID } from "node:crypto";
import {
  functionNotFound,
  invalidParameter,
  preconditionFailed,
  resourceConflict,
  resourceNotFound,
  validationError,
} from "./api-error.js";
import { functionArn } from "./function-reference.js";
import type { Alias, EmulatedFunction } from "./function-store.js";

const ALIAS_NAME = /^(?!^[0-9]+$)([a-zA-Z0-9-_]{1,128})$/;

export interface AliasInput {
  Name?: unknown;
  FunctionVersion?: unknown;
  Description?: unknown;
  RoutingConfig?: unknown;
  RevisionId?: unknown;
}

/** The AliasConfiguration document Lambda returns. */
export function aliasConfiguration(fn: EmulatedFunction, alias: Alias, region: string) {
  return {
    AliasArn: functionArn(region, fn.name, alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    ...(alias.additionalVersionWeights === undefined
      ? {}
      : { RoutingConfig: { AdditionalVersionWeights: alias.additionalVersionWeights } }),
    RevisionId: alias.revisionId,
  };
}

function checkVersion(fn: EmulatedFunction, version: unknown, region: string): string {
  if (typeof version !== "string" || version === "") {
    throw validationError("functionVersion", version, "Member must not be null");
  }
  if (version !== "$LATEST" && !fn.versions.has(version)) {
    throw functionNotFound(functionArn(region, fn.name, version));
  }
  return version;
}

function checkWeights(
  fn: EmulatedFunction,
  routing: unknown,
  primary: string,
  region: string,
): Record<string, number> | undefined {
  const weights = (routing as { AdditionalVersionWeights?: unknown } | null | undefined)
    ?.AdditionalVersionWeights;
  if (weights === undefined || weights === null) return undefined;
  if (typeof weights !== "object" || Array.isArray(weights)) {
    throw invalidParameter("RoutingConfig.AdditionalVersionWeights must be a map.");
  }
  const entries = Object.entries(weights as Record<string, unknown>);
  if (entries.length > 1) throw invalidParameter("Only one additional version may be routed to.");
  const result: Record<string, number> = {};
  for (const [version, weight] of entries) {
    if (typeof weight !== "number" || weight < 0 || weight > 1) {
      throw validationError(
        "additionalVersionWeights",
        weight,
        "Member must be between 0.0 and 1.0",
      );
    }
    if (version === primary || version === "$LATEST") {
      throw invalidParameter(
        "Invalid function version for routing: it must be a published version other than the alias's.",
      );
    }
    checkVersion(fn, version, region);
    result[version] = weight;
  }
  return entries.length === 0 ? undefined : result;
}

export function getAlias(fn: EmulatedFunction, name: string, region: string): Alias {
  const alias = fn.aliases.get(name);
  if (alias === undefined) {
    throw resourceNotFound(`Alias not found: ${functionArn(region, fn.name, name)}`);
  }
  return alias;
}

export function createAlias(fn: EmulatedFunction, input: AliasInput, region: string): Alias {
  const name = input.Name;
  if (typeof name !== "string" || !ALIAS_NAME.test(name) || name === "$LATEST") {
    throw validationError(
      "name",
      name,
      "Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)",
    );
  }
  if (fn.aliases.has(name)) {
    throw resourceConflict(`Alias already exists: ${functionArn(region, fn.name, name)}`);
  }
  const functionVersion = checkVersion(fn, input.FunctionVersion, region);
  const alias: Alias = {
    name,
    functionVersion,
    description: typeof input.Description === "string" ? input.Description : "",
    revisionId: randomUUID(),
  };
  const weights = checkWeights(fn, input.RoutingConfig, functionVersion, region);
  if (weights !== undefined) alias.additionalVersionWeights = weights;
  fn.aliases.set(name, alias);
  return alias;
}

export function updateAlias(
  fn: EmulatedFunction,
  name: string,
  input: AliasInput,
  region: string,
): Alias {
  const alias = getAlias(fn, name, region);
  if (input.RevisionId !== undefined && input.RevisionId !== alias.revisionId) {
    throw preconditionFailed();
  }
  const functionVersion =
    input.FunctionVersion === undefined
      ? alias.functionVersion
      : checkVersion(fn, input.FunctionVersion, region);
  const next: Alias = { ...alias, functionVersion, revisionId: randomUUID() };
  if (typeof input.Description === "string") next.description = input.Description;
  if (input.RoutingConfig !== undefined) {
    const weights = checkWeights(fn, input.RoutingConfig, functionVersion, region);
    if (weights === undefined) delete next.additionalVersionWeights;
    else next.additionalVersionWeights = weights;
  }
  fn.aliases.set(name, next);
  return next;
}

export function deleteAlias(fn: EmulatedFunction, name: string, region: string): void {
  getAlias(fn, name, region);
  fn.aliases.delete(name);
}

/** The version an alias sends this call to, drawing on its routing weights. */
export function routeAlias(alias: Alias, random: () => number): string {
  let draw = random();
  for (const [version, weight] of Object.entries(alias.additionalVersionWeights ?? {})) {
    if (draw < weight) return version;
    draw -= weight;
  }
  return alias.functionVersion;
}
