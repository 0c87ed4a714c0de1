import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { UsageError } from "../errors.js";
import { type RawOptions, textOption } from "../flags.js";

/**
 * The events of a run: one (`--payload`, or a file holding one JSON event),
 * or several with weights: AWS Lambda Power Tuning's
 * `[{"payload": ..., "weight": n}, ...]`, or NDJSON, one event per line with
 * equal weights (docs/lambda-facts.md, "Other tools").
 */
export interface Payloads {
  events: string[];
  /** How each is named in messages: `#2` in a weighted list, `line 7` in NDJSON. */
  labels: string[];
  weights: number[];
  /** The start of each event, for the result and messages. */
  previews: string[];
}

const PREVIEW_CHARS = 60;
const FORMATS_HINT =
  'give one JSON event, a list [{"payload": {...}, "weight": 3}, ...] as AWS Lambda Power Tuning takes, or NDJSON (one event per line)';

function preview(event: string): string {
  const flat = event.replace(/\s+/g, " ").trim();
  return flat.length <= PREVIEW_CHARS ? flat : `${flat.slice(0, PREVIEW_CHARS - 1)}…`;
}

function single(event: string): Payloads {
  return { events: [event], labels: ["#1"], weights: [1], previews: [preview(event)] };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A list whose entries are objects naming `payload` or `weight`: Power Tuning's weighted payloads. */
function isWeightedList(value: unknown): value is unknown[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(isObject) &&
    value.some((entry) => "payload" in entry || "weight" in entry)
  );
}

function weightedList(entries: unknown[], file: string): Payloads {
  const payloads: Payloads = { events: [], labels: [], weights: [], previews: [] };
  entries.forEach((entry, i) => {
    const label = `#${i + 1}`;
    const record = entry as Record<string, unknown>;
    if (!("payload" in record)) {
      throw new UsageError(`entry ${label} of ${file} has no "payload"`, {
        hint: `give every entry its event and weight: {"payload": {...}, "weight": 1}`,
      });
    }
    const weight = record.weight;
    if (typeof weight !== "number" || !Number.isFinite(weight) || weight <= 0) {
      const given = weight === undefined ? "no weight" : `weight ${JSON.stringify(weight)}`;
      throw new UsageError(
        `entry ${label} of ${file} has ${given}: weights must be numbers above 0`,
        {
          hint: "give each entry a positive weight, e.g. 3 for an event three times as common as one of weight 1",
        },
      );
    }
    const event = JSON.stringify(record.payload);
    payloads.events.push(event);
    payloads.labels.push(label);
    payloads.weights.push(weight);
    payloads.previews.push(preview(event));
  });
  return payloads;
}

function ndjson(text: string, file: string): Payloads {
  const payloads: Payloads = { events: [], labels: [], weights: [], previews: [] };
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      JSON.parse(line);
    } catch (error) {
      throw new UsageError(`line ${i + 1} of ${file} is not JSON: ${(error as Error).message}`, {
        hint: "NDJSON holds one JSON event per line; fix or remove that line",
      });
    }
    payloads.events.push(line.trim());
    payloads.labels.push(`line ${i + 1}`);
    payloads.weights.push(1);
    payloads.previews.push(preview(line));
  });
  if (payloads.events.length === 0) {
    throw new UsageError(`${file} has no events`, { hint: FORMATS_HINT });
  }
  return payloads;
}

/**
 * The events in a `--payload-file`: NDJSON by its extension (`.ndjson`,
 * `.jsonl`) or when the whole is not one JSON document but its lines are;
 * a weighted list when the document is a list of `{payload, weight}`; else
 * the one event. An empty list is refused (to send `[]`, use `--payload '[]'`).
 */
export function parsePayloadFile(text: string, file: string): Payloads {
  if (/\.(ndjson|jsonl)$/i.test(file)) return ndjson(text, file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
    if (lines.length > 1) return ndjson(text, file);
    throw new UsageError(`the payload in ${file} is not JSON: ${(error as Error).message}`, {
      hint: FORMATS_HINT,
    });
  }
  if (Array.isArray(value) && value.length === 0) {
    throw new UsageError(`${file} is a list with no entries`, {
      hint: `list at least one {"payload": ..., "weight": n}; to send an empty list as the event, use --payload '[]'`,
    });
  }
  if (isWeightedList(value)) return weightedList(value, file);
  return single(text);
}

/** `--payload` or `--payload-file` (not both); `{}` when neither is given. */
export async function readPayloads(raw: RawOptions, cwd: string): Promise<Payloads> {
  const inline = textOption(raw, "payload");
  const file = textOption(raw, "payloadFile");
  if (inline !== undefined && file !== undefined) {
    throw new UsageError("--payload and --payload-file were both given", {
      hint: "keep one of them",
    });
  }
  if (file === undefined) {
    const event = inline ?? "{}";
    try {
      JSON.parse(event);
    } catch (error) {
      throw new UsageError(`the payload in --payload is not JSON: ${(error as Error).message}`, {
        hint: `give an event as JSON, e.g. --payload '{"key":"value"}'`,
      });
    }
    return single(event);
  }
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), "utf8");
  } catch (error) {
    throw new UsageError(`cannot read the payload file ${file}`, {
      hint: "check the path given to --payload-file",
      cause: error,
    });
  }
  return parsePayloadFile(text, file);
}
