import { ApiError } from "./api-error.js";

type Term = { text: string; kind: "all" | "any" | "none" };

function unsupported(pattern: string): ApiError {
  return new ApiError(
    400,
    "InvalidParameterException",
    `Invalid filter pattern: ${pattern} (the emulator supports terms, "quoted phrases", ?optional and -excluded terms)`,
  );
}

/**
 * CloudWatch Logs filter patterns for unstructured events: every plain or
 * quoted term must occur (case-sensitive), at least one `?term` must when
 * any are given, and no `-term` may. JSON and space-delimited patterns are refused.
 */
export function compileFilterPattern(pattern: string | undefined): (message: string) => boolean {
  const source = (pattern ?? "").trim();
  if (source === "") return () => true;
  if (source.startsWith("{") || source.startsWith("[") || source.startsWith("%")) {
    throw unsupported(source);
  }
  const terms: Term[] = [];
  const token = /([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (const match of source.matchAll(token)) {
    const prefix = match[1];
    const text = match[2] === undefined ? (match[3] ?? "") : match[2].replace(/\\(.)/g, "$1");
    if (text === "" && match[2] === undefined) continue;
    terms.push({ text, kind: prefix === "?" ? "any" : prefix === "-" ? "none" : "all" });
  }
  const any = terms.filter((term) => term.kind === "any");
  return (message) =>
    terms.every(
      (term) =>
        term.kind === "any" ||
        (term.kind === "all" ? message.includes(term.text) : !message.includes(term.text)),
    ) &&
    (any.length === 0 || any.some((term) => message.includes(term.text)));
}
