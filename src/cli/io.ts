import type { Readable, Writable } from "node:stream";

/** Everything a command touches outside its arguments, passed in so tests can run it in-process. */
export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdoutIsTty: boolean;
  stderrIsTty: boolean;
  /** Width for what goes to stdout (the terminal's, else COLUMNS, else 100). */
  columns: number;
  /** Width of stderr's terminal, where progress is drawn. */
  stderrColumns: number;
  now: () => Date;
}

export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    stdoutIsTty: process.stdout.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
    columns: process.stdout.columns ?? (Number(process.env.COLUMNS) || 100),
    stderrColumns: process.stderr.columns ?? (Number(process.env.COLUMNS) || 80),
    now: () => new Date(),
  };
}

/**
 * How wide human output may be: the terminal's columns, at most 140 (wider
 * tables and charts stop helping), and at least 40 (narrower is unreadable).
 */
export function outputWidth(io: CliIo): number {
  return Math.max(40, Math.min(io.columns, 140));
}

/** Colour per the NO_COLOR and FORCE_COLOR conventions, else only on a terminal. */
export function useColor(io: CliIo): boolean {
  return colorFor(io.env, io.stdoutIsTty);
}

/** The same conventions for what goes to stderr (progress). */
export function useStderrColor(io: CliIo): boolean {
  return colorFor(io.env, io.stderrIsTty);
}

/** FORCE_COLOR wins over NO_COLOR (as in Node.js itself): it is the more specific request. */
function colorFor(env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return isTty;
}

export function write(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}
