import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "./api-error.js";

/** The whole request body, refused with 413 once it passes `maxBytes`. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      throw new ApiError(
        413,
        "RequestTooLargeException",
        `Request must be smaller than ${maxBytes} bytes for this operation`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A JSON object body; an empty body is `{}`. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new ApiError(400, "SerializationException", "Could not parse the request body as JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ApiError(400, "SerializationException", "The request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = "application/json",
): void {
  if (body === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  res.writeHead(status, { "Content-Type": contentType });
  res.end(JSON.stringify(body));
}
