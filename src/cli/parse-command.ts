import { once } from "node:events";
import { resolve } from "node:path";
import type { Readable, Writable } from "node:stream";
import { UsageError } from "../errors.js";
import { recordToJson } from "../logs/record-json.js";
import { openLogFile } from "../logs/sources/line-source.js";
import { type MalformedLine, readRecordBatches } from "../logs/sources/read-records.js";

export interface ParseCommandIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** Relative file names are resolved against it; the process's when absent. */
  cwd?: string;
}

const STDIN_NAME = "<stdin>";
const FLUSH_CHARS = 64 * 1024;
const REPORT_EXAMPLE =
  "REPORT RequestId: <id>  Duration: 12.34 ms  Billed Duration: 13 ms  Memory Size: 128 MB  Max Memory Used: 18 MB";

/** Collects output text and writes it in large pieces, waiting for `drain` so memory stays flat. */
class BufferedOutput {
  private text = "";
  constructor(private readonly stream: Writable) {}

  add(text: string): Promise<void> | undefined {
    this.text += text;
    return this.text.length >= FLUSH_CHARS ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.text === "") return;
    const text = this.text;
    this.text = "";
    if (!this.stream.write(text)) await once(this.stream, "drain");
  }
}

/**
 * `lambda-tune parse [files...]`: prints every REPORT record of the files
 * (stdin when none) as one JSON object per line. Malformed REPORT lines are
 * reported on stderr as `file:line: reason` and skipped. Returns the exit code.
 */
export async function parseCommand(files: string[], io: ParseCommandIo): Promise<number> {
  const sources = files.length > 0 ? files : [STDIN_NAME];
  if (files.length === 0 && (io.stdin as { isTTY?: boolean }).isTTY === true) {
    throw new UsageError("no log files given and stdin is a terminal", {
      hint: "Name the files (lambda-tune parse logs/*.log) or pipe logs in (aws logs tail ... | lambda-tune parse).",
    });
  }
  const cwd = io.cwd ?? process.cwd();
  // Open every file first, so a wrong name fails before any output.
  const inputs: Readable[] = [];
  try {
    for (const file of files) inputs.push(await openLogFile(resolve(cwd, file)));
  } catch (error) {
    for (const input of inputs) input.destroy();
    throw error;
  }
  if (files.length === 0) inputs.push(io.stdin);

  const stdout = new BufferedOutput(io.stdout);
  const stderr = new BufferedOutput(io.stderr);
  const onMalformed = (m: MalformedLine) => stderr.add(`${m.source}:${m.line}: ${m.reason}\n`);
  const empty: string[] = [];
  try {
    for (let i = 0; i < inputs.length; i++) {
      const name = sources[i] as string;
      let count = 0;
      try {
        for await (const batch of readRecordBatches(inputs[i] as Readable, name, { onMalformed })) {
          count += batch.length;
          let text = "";
          for (const record of batch) text += `${recordToJson(record)}\n`;
          await stdout.add(text);
        }
      } catch (error) {
        throw readFailure(name, error);
      }
      if (count === 0) empty.push(name);
    }
  } finally {
    for (const input of inputs) if (input !== io.stdin) input.destroy();
    await stdout.flush();
    await stderr.flush();
  }
  if (empty.length > 0) {
    throw new UsageError(`no REPORT records in ${empty.join(", ")}`, {
      hint: `Lambda writes one REPORT line per invocation, like: ${REPORT_EXAMPLE} (or a JSON "platform.report" event when LogFormat is JSON).`,
    });
  }
  return 0;
}

function readFailure(source: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== "string" || !code.startsWith("E")) return error;
  return new UsageError(`cannot read ${source} (${code})`, {
    hint: "Check that it is a readable log file, or pipe the logs to stdin.",
    cause: error,
  });
}
