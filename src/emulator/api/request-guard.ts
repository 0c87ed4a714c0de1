import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { Sha256 } from "@smithy/core/checksum";
import { HttpRequest } from "@smithy/core/transport";
import { SignatureV4 } from "@smithy/signature-v4";
import { ApiError } from "./api-error.js";

/** The key pair requests must be signed with (SigV4, as every AWS client signs). */
export interface ApiCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Who may call the API: requests signed with this key pair, or anyone local (`none`). */
export type ApiAuth = ApiCredentials | "none";

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/** Names that resolve to this machine only: localhost, *.localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  const name = host.startsWith("[")
    ? host.slice(1, host.indexOf("]"))
    : host.replace(/:\d+$/, "").toLowerCase();
  return (
    name === "localhost" ||
    name.endsWith(".localhost") ||
    /^127(\.\d{1,3}){3}$/.test(name) ||
    name === "::1" ||
    name === "0:0:0:0:0:0:0:1"
  );
}

function forbidden(type: string, message: string): ApiError {
  return new ApiError(403, type, message);
}

/**
 * Refuses what is not a local client's request: a Host that is not a
 * loopback name (a web page reaching 127.0.0.1 through DNS rebinding sends
 * its own domain), and anything a browser sends for another site (Origin,
 * or Sec-Fetch-Site other than none). AWS clients send neither.
 */
export function checkLocalRequest(headers: IncomingHttpHeaders): ApiError | undefined {
  const host = header(headers, "host");
  if (host === undefined || !isLoopbackHost(host)) {
    return forbidden(
      "AccessDeniedException",
      `lambda-tune emulate answers only requests for a loopback host (localhost, 127.0.0.1, [::1]), not '${host ?? ""}'`,
    );
  }
  const origin = header(headers, "origin");
  const site = header(headers, "sec-fetch-site");
  if (origin !== undefined || (site !== undefined && site !== "none")) {
    return forbidden(
      "AccessDeniedException",
      `lambda-tune emulate refuses requests from web pages (Origin '${origin ?? site}')`,
    );
  }
  return undefined;
}

// AWS refuses a signature more than 15 minutes from its own clock.
const MAX_SKEW_MS = 15 * 60 * 1000;

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;_.-]+),\s*Signature=([0-9a-f]{64})$/;

function amzDate(text: string | undefined): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? "");
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s));
}

function queryOf(search: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of search) {
    const previous = query[key];
    query[key] =
      previous === undefined
        ? value
        : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return query;
}

const INVALID_SIGNATURE =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.";

/**
 * Checks a request's SigV4 signature against `credentials` with the AWS
 * SDK's own signer: the canonical request is rebuilt from the method, the
 * path and query as sent, the headers the client signed and the body, then
 * signed again and compared. Lambda's own errors for a missing, foreign or
 * wrong signature.
 */
export async function verifySignature(
  request: { method: string; url: string; headers: IncomingHttpHeaders },
  body: Buffer,
  credentials: ApiCredentials,
  now: number,
): Promise<ApiError | undefined> {
  const authorization = header(request.headers, "authorization");
  if (authorization === undefined) {
    return forbidden(
      "MissingAuthenticationTokenException",
      "Missing Authentication Token: lambda-tune emulate takes only requests signed with the key pair it printed (or was given)",
    );
  }
  const match = AUTHORIZATION.exec(authorization.trim());
  if (match === null)
    return forbidden(
      "IncompleteSignatureException",
      "Authorization header is not AWS4-HMAC-SHA256",
    );
  const [, accessKeyId, shortDate, region, service, signedHeaders, signature] = match as string[];
  if (accessKeyId !== credentials.accessKeyId) {
    return forbidden(
      "UnrecognizedClientException",
      "The security token included in the request is invalid.",
    );
  }
  const date = amzDate(header(request.headers, "x-amz-date"));
  if (date === undefined || date.toISOString().slice(0, 10).replaceAll("-", "") !== shortDate) {
    return forbidden(
      "IncompleteSignatureException",
      "X-Amz-Date is missing or does not match the credential scope",
    );
  }
  if (Math.abs(date.getTime() - now) > MAX_SKEW_MS) {
    return forbidden(
      "InvalidSignatureException",
      `Signature expired: ${header(request.headers, "x-amz-date")} is more than 15 minutes from the emulator's clock`,
    );
  }
  const claimed = header(request.headers, "x-amz-content-sha256");
  if (claimed !== undefined && claimed !== createHash("sha256").update(body).digest("hex")) {
    return forbidden("InvalidSignatureException", INVALID_SIGNATURE);
  }
  const names = (signedHeaders ?? "").split(";");
  if (!names.includes("host")) return forbidden("InvalidSignatureException", INVALID_SIGNATURE);
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = header(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  const url = new URL(request.url, "http://localhost");
  const sessionToken = names.includes("x-amz-security-token")
    ? header(request.headers, "x-amz-security-token")
    : undefined;
  if (!names.includes("x-amz-date"))
    return forbidden("InvalidSignatureException", INVALID_SIGNATURE);
  const signer = new SignatureV4({
    credentials: { ...credentials, ...(sessionToken !== undefined && { sessionToken }) },
    region: region ?? "",
    service: service ?? "",
    sha256: Sha256,
    // Add nothing the client did not sign.
    applyChecksum: false,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: "http:",
      hostname: "localhost",
      path: url.pathname,
      query: queryOf(url.searchParams),
      headers,
      body,
    }),
    { signingDate: date, signableHeaders: new Set(names) },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1] ?? "";
  const same =
    expected.length === signature?.length &&
    timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
  return same ? undefined : forbidden("InvalidSignatureException", INVALID_SIGNATURE);
}
