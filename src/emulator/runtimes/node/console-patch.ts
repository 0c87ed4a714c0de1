import { format } from "node:util";

let currentRequestId = "undefined";

/** The request the log lines belong to; `undefined` outside an invocation, as on Lambda. */
export function setLogRequestId(requestId: string | undefined): void {
  currentRequestId = requestId ?? "undefined";
}

/** Writes one log line as Lambda's Node.js runtime does: `<ISO time>\t<request id>\t<LEVEL>\t<message>`. */
export function writeLogLine(level: string, ...args: unknown[]): void {
  process.stdout.write(
    `${new Date().toISOString()}\t${currentRequestId}\t${level}\t${format(...args)}\n`,
  );
}

function writer(level: string) {
  return (...args: unknown[]): void => writeLogLine(level, ...args);
}

/** Makes console.* write Lambda-style lines, as the Node.js runtime does. */
export function patchConsole(): void {
  console.log = writer("INFO");
  console.info = writer("INFO");
  console.warn = writer("WARN");
  console.error = writer("ERROR");
  console.debug = writer("DEBUG");
  console.trace = writer("TRACE");
}
