import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { SCHEMA_VERSION } from "../../src/document/result.js";
import { describedPaths } from "./schema-walk.js";
import { resultSchema } from "./validate.js";

const doc = readFileSync(new URL("../../docs/result-schema.md", import.meta.url), "utf8");

describe("docs/result-schema.md", () => {
  it("documents every field the schema describes, by its path", () => {
    const paths = describedPaths();
    assert.ok(paths.length > 60, `only ${paths.length} paths found`);
    const missing = paths.filter((path) => !doc.includes(`\`${path}\``));
    assert.deepEqual(
      missing,
      [],
      `add these fields to docs/result-schema.md: ${missing.join(", ")}`,
    );
  });

  it("names the current schema version and the compatibility rule", () => {
    assert.equal(
      (resultSchema as { properties: { schemaVersion: { const: number } } }).properties
        .schemaVersion.const,
      SCHEMA_VERSION,
    );
    assert.match(doc, new RegExp(`\`schemaVersion\`[^\\n]*${SCHEMA_VERSION}`));
    assert.match(doc, /adding a field keeps the version/i);
    assert.match(doc, /removing or renaming a field raises it/i);
  });
});
