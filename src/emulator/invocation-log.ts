import { LOG_TAIL_BYTES } from "../lambda.js";
import { formatReportLine } from "../logs/format.js";
import type { ReportRecord } from "../logs/record.js";

/** The last `maxBytes` bytes of `text`, starting at a whole UTF-8 character. */
export function lastBytes(text: string, maxBytes: number = LOG_TAIL_BYTES): string {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return text;
  let start = bytes.length - maxBytes;
  // Skip UTF-8 continuation bytes (10xxxxxx) so the tail starts on a character.
  while (start < bytes.length && ((bytes[start] ?? 0) & 0xc0) === 0x80) start++;
  return bytes.subarray(start).toString("utf8");
}

function ensureNewline(text: string): string {
  return text === "" || text.endsWith("\n") ? text : `${text}\n`;
}

export interface InvocationLogParts {
  requestId: string;
  /** The function version that ran (START's `Version:`); `$LATEST` when absent. */
  version?: string;
  /** Present on a cold start: the runtime's version and what it wrote while initialising. */
  init?: {
    runtimeVersion: string;
    output: string;
    failure?: { durationMs: number; status: string; errorType: string };
  };
  /** What the runtime wrote during the invocation. */
  output: string;
  /** Lines the platform adds before END (timeout, runtime exit). */
  platformLines: string[];
  record: ReportRecord;
}

/**
 * One invocation's log in Lambda's text format: INIT_START and the init
 * output on a cold start, START, the function's lines, END, REPORT.
 */
export function formatInvocationLog(parts: InvocationLogParts): string {
  let log = "";
  if (parts.init !== undefined) {
    log += `INIT_START Runtime Version: ${parts.init.runtimeVersion}\tRuntime Version ARN: lambda-tune:local\n`;
    log += ensureNewline(parts.init.output);
    const failure = parts.init.failure;
    if (failure !== undefined) {
      log += `INIT_REPORT Init Duration: ${failure.durationMs.toFixed(2)} ms\tPhase: init\tStatus: ${failure.status}\tError Type: ${failure.errorType}\n`;
    }
  }
  log += `START RequestId: ${parts.requestId} Version: ${parts.version ?? "$LATEST"}\n`;
  log += ensureNewline(parts.output);
  for (const line of parts.platformLines) log += `${line}\n`;
  log += `END RequestId: ${parts.requestId}\n`;
  log += `${formatReportLine(parts.record)}\n`;
  return log;
}
