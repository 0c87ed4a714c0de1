/**
 * What the user should know when the runtime that runs locally is not the
 * one asked for with `--runtime`, or not one of Lambda's: it runs anyway,
 * and a warning names both.
 */
export function versionWarnings(options: {
  /** `--runtime`, when given. */
  asked: string | undefined;
  /** The Lambda identifier of what runs here, e.g. `python3.11`. */
  ran: string;
  /** Lambda's identifiers for this family. */
  known: readonly string[];
  /** The local interpreter in words, e.g. `Python 3.11.2 (/usr/bin/python3.11)`. */
  local: string;
  /** How to run the version asked for, e.g. `give --python a Python 3.12 interpreter`. */
  fix: (asked: string) => string;
}): string[] {
  const { asked, ran, known, local } = options;
  if (asked !== undefined && asked !== ran) {
    return [
      `--runtime ${asked} was asked for, but the local interpreter is ${local}: ran it as ${ran}, ` +
        `so durations are ${ran}'s; to match, ${options.fix(asked)}`,
    ];
  }
  if (asked === undefined && !known.includes(ran)) {
    return [
      `the local interpreter is ${local}, and ${ran} is not among Lambda's runtimes ` +
        `(${known.join(", ")}): ran it anyway, so durations may differ from Lambda's`,
    ];
  }
  return [];
}
