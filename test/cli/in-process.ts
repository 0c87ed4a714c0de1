import { PassThrough, Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import type { CliIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/program.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString("utf8");
}

/**
 * The CLI run in this process, as main.ts runs it, with its streams captured:
 * for the many cases that fail before anything runs (a process each would be slow).
 */
export async function runInProcess(
  argv: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; columns?: number } = {},
): Promise<InProcessRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  const io: CliIo = {
    stdin: Readable.from([""]),
    stdout,
    stderr,
    env: {
      NO_COLOR: "1",
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      ...options.env,
    },
    cwd: options.cwd ?? ROOT,
    stdoutIsTty: false,
    stderrIsTty: false,
    columns: options.columns ?? 100,
    stderrColumns: 80,
    now: () => new Date(),
  };
  const code = await runCli(argv, io);
  return { code, stdout: out(), stderr: err() };
}
