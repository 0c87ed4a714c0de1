import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";

const schemaUrl = new URL("../../schema/result.schema.json", import.meta.url);
export const resultSchema: object = JSON.parse(readFileSync(schemaUrl, "utf8"));

// ajv-formats is not a dependency; an RFC 3339 pattern is enough for `generatedAt`.
const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const ajv = new Ajv2020({ allErrors: true, strict: true, formats: { "date-time": dateTime } });
const validate = ajv.compile(resultSchema);

/** The schema's complaints about `doc`, one line each; empty when it is valid. */
export function resultSchemaErrors(doc: unknown): string[] {
  if (validate(doc)) return [];
  return (validate.errors ?? []).map(describe);
}

/** Fails with every schema violation listed when `doc` is not a valid result document. */
export function assertValidResult(doc: unknown): void {
  const errors = resultSchemaErrors(doc);
  assert.deepEqual(errors, [], `result document does not match schema:\n${errors.join("\n")}`);
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === "" ? "(document)" : error.instancePath;
  const detail = error.params === undefined ? "" : ` ${JSON.stringify(error.params)}`;
  return `${where} ${error.message ?? error.keyword}${detail}`;
}
