import {
  aliasConfiguration,
  createAlias,
  deleteAlias,
  getAlias,
  routeAlias,
  updateAlias,
} from "./aliases.js";
import { functionNotFound, invalidParameter, validationError } from "./api-error.js";
import {
  type FunctionConfiguration,
  latestConfiguration,
  versionConfiguration,
} from "./function-configuration.js";
import { type FunctionReference, functionArn } from "./function-reference.js";
import type { EmulatedFunction, FunctionSettings, FunctionStore } from "./function-store.js";
import type { VersionPools } from "./version-pools.js";

export interface LambdaApiContext {
  store: FunctionStore;
  pools: VersionPools;
  region: string;
  random: () => number;
}

export interface Answer {
  status: number;
  body?: unknown;
}

export interface OperationCall {
  reference: FunctionReference | undefined;
  aliasName: string | undefined;
  query: URLSearchParams;
  input: Record<string, unknown>;
}

/** What a qualifier names: the version that runs and the configuration it runs at. */
export interface ResolvedVersion {
  fn: EmulatedFunction;
  version: string;
  settings: FunctionSettings;
  configuration: () => FunctionConfiguration;
}

/** Finds the version a (possibly qualified) reference names; aliases route by their weights. */
export function resolveVersion(
  ctx: LambdaApiContext,
  reference: FunctionReference,
): ResolvedVersion {
  const { store, region } = ctx;
  const fn = store.get(reference.name, reference.qualifier);
  let qualifier = reference.qualifier ?? "$LATEST";
  const alias = fn.aliases.get(qualifier);
  if (alias !== undefined) qualifier = routeAlias(alias, ctx.random);
  if (qualifier === "$LATEST") {
    return {
      fn,
      version: "$LATEST",
      settings: fn.runningSettings,
      configuration: () => latestConfiguration(fn, region, store.updateInProgress(fn)),
    };
  }
  const version = fn.versions.get(qualifier);
  if (version === undefined) throw functionNotFound(functionArn(region, fn.name, qualifier));
  return {
    fn,
    version: version.version,
    settings: version.settings,
    configuration: () => versionConfiguration(fn, version, region),
  };
}

function unqualified(call: OperationCall, operation: string): FunctionReference {
  const reference = required(call);
  if (reference.qualifier !== undefined && reference.qualifier !== "$LATEST") {
    throw invalidParameter(
      `${operation} takes an unqualified function name, got qualifier ${reference.qualifier}.`,
    );
  }
  return reference;
}

function required(call: OperationCall): FunctionReference {
  if (call.reference === undefined)
    throw validationError("functionName", "", "Member must not be null");
  return call.reference;
}

/** Marker/MaxItems paging as Lambda's List operations do it (the marker is opaque). */
function page<T>(items: T[], query: URLSearchParams): { items: T[]; next?: string } {
  const maxText = query.get("MaxItems");
  const max = maxText === null ? 50 : Number(maxText);
  if (!Number.isInteger(max) || max < 1 || max > 10_000) {
    throw validationError("maxItems", maxText, "Member must have value between 1 and 10000");
  }
  const start = Number(query.get("Marker") ?? "0");
  if (!Number.isInteger(start) || start < 0) throw invalidParameter("Invalid marker.");
  const next = start + max < items.length ? String(start + max) : undefined;
  return { items: items.slice(start, start + max), ...(next === undefined ? {} : { next }) };
}

function versionsOf(fn: EmulatedFunction): string[] {
  return [...fn.versions.keys()].sort((a, b) => Number(a) - Number(b));
}

type Operation = (ctx: LambdaApiContext, call: OperationCall) => Answer;

export const LAMBDA_OPERATIONS: Record<string, Operation> = {
  ListFunctions(ctx, call) {
    const all = ctx.store
      .list()
      .map((fn) => latestConfiguration(fn, ctx.region, ctx.store.updateInProgress(fn)));
    const { items, next } = page(all, call.query);
    return { status: 200, body: { Functions: items, ...(next && { NextMarker: next }) } };
  },

  GetFunction(ctx, call) {
    const resolved = resolveVersion(ctx, required(call));
    return {
      status: 200,
      body: {
        Configuration: resolved.configuration(),
        Code: { RepositoryType: "S3", Location: `file://${resolved.fn.code.taskRoot}` },
      },
    };
  },

  GetFunctionConfiguration(ctx, call) {
    return { status: 200, body: resolveVersion(ctx, required(call)).configuration() };
  },

  UpdateFunctionConfiguration(ctx, call) {
    const fn = ctx.store.updateConfiguration(
      unqualified(call, "UpdateFunctionConfiguration").name,
      call.input,
    );
    return {
      status: 200,
      body: latestConfiguration(fn, ctx.region, ctx.store.updateInProgress(fn)),
    };
  },

  PublishVersion(ctx, call) {
    const name = unqualified(call, "PublishVersion").name;
    const version = ctx.store.publishVersion(name, call.input);
    return { status: 201, body: versionConfiguration(ctx.store.get(name), version, ctx.region) };
  },

  ListVersionsByFunction(ctx, call) {
    const fn = ctx.store.get(unqualified(call, "ListVersionsByFunction").name);
    const all = [
      latestConfiguration(fn, ctx.region, ctx.store.updateInProgress(fn), true),
      ...versionsOf(fn).map((v) => versionConfiguration(fn, fn.versions.get(v)!, ctx.region)),
    ];
    const { items, next } = page(all, call.query);
    return { status: 200, body: { Versions: items, ...(next && { NextMarker: next }) } };
  },

  DeleteFunction(ctx, call) {
    const reference = required(call);
    if (reference.qualifier === undefined) {
      ctx.store.deleteFunction(reference.name);
      ctx.pools.releaseFunction(reference.name);
    } else {
      ctx.store.deleteVersion(reference.name, reference.qualifier);
      ctx.pools.releaseFunction(reference.name, reference.qualifier);
    }
    return { status: 204 };
  },

  CreateAlias(ctx, call) {
    const fn = ctx.store.get(unqualified(call, "CreateAlias").name);
    return {
      status: 201,
      body: aliasConfiguration(fn, createAlias(fn, call.input, ctx.region), ctx.region),
    };
  },

  GetAlias(ctx, call) {
    const fn = ctx.store.get(unqualified(call, "GetAlias").name);
    const alias = getAlias(fn, call.aliasName ?? "", ctx.region);
    return { status: 200, body: aliasConfiguration(fn, alias, ctx.region) };
  },

  UpdateAlias(ctx, call) {
    const fn = ctx.store.get(unqualified(call, "UpdateAlias").name);
    const alias = updateAlias(fn, call.aliasName ?? "", call.input, ctx.region);
    return { status: 200, body: aliasConfiguration(fn, alias, ctx.region) };
  },

  DeleteAlias(ctx, call) {
    const fn = ctx.store.get(unqualified(call, "DeleteAlias").name);
    deleteAlias(fn, call.aliasName ?? "", ctx.region);
    return { status: 204 };
  },

  ListAliases(ctx, call) {
    const fn = ctx.store.get(unqualified(call, "ListAliases").name);
    const version = call.query.get("FunctionVersion");
    const all = [...fn.aliases.values()]
      .filter((alias) => version === null || alias.functionVersion === version)
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((alias) => aliasConfiguration(fn, alias, ctx.region));
    const { items, next } = page(all, call.query);
    return { status: 200, body: { Aliases: items, ...(next && { NextMarker: next }) } };
  },
};
