import { Sha256 } from "@smithy/core/checksum";
import { HttpRequest } from "@smithy/core/transport";
import { SignatureV4 } from "@smithy/signature-v4";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * fetch() with a SigV4 signature, as an AWS client would send it: for the
 * emulator's own endpoints (/_emulator/...), which no AWS client knows.
 */
export async function signedFetch(
  url: string,
  init: { method?: string; body?: string; headers?: Record<string, string> },
  credentials: Credentials,
  region = "us-east-1",
): Promise<Response> {
  const target = new URL(url);
  const signer = new SignatureV4({ credentials, region, service: "lambda", sha256: Sha256 });
  const signed = await signer.sign(
    new HttpRequest({
      method: init.method ?? "GET",
      protocol: target.protocol,
      hostname: target.hostname,
      port: Number(target.port),
      path: target.pathname,
      query: Object.fromEntries(target.searchParams),
      headers: { host: target.host, ...init.headers },
      ...(init.body !== undefined && { body: init.body }),
    }),
  );
  const { host: _host, ...headers } = signed.headers;
  return fetch(url, { method: init.method ?? "GET", headers, body: init.body ?? null });
}
