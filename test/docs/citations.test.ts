import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CITATION = /docs\/(lambda-facts|architecture)\.md,\s*(?:\/\/\s*|\*\s*)?"([^"]+)"/g;

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "fixtures" ? [] : sources(path);
    return /\.(ts|mts|mjs|py)$/.test(entry.name) ? [path] : [];
  });
}

function headings(doc: string): Set<string> {
  const text = readFileSync(join(ROOT, "docs", `${doc}.md`), "utf8");
  return new Set([...text.matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1]!.trim()));
}

describe("comments that cite the project's docs", () => {
  const files = ["src", "test", "bench", "scripts"].flatMap(sources);
  const docs = { "lambda-facts": headings("lambda-facts"), architecture: headings("architecture") };

  it("name a section that exists", () => {
    const broken: string[] = [];
    let cited = 0;
    for (const file of files) {
      for (const match of readFileSync(join(ROOT, file), "utf8").matchAll(CITATION)) {
        cited++;
        const [, doc, section] = match as unknown as [string, keyof typeof docs, string];
        if (!docs[doc].has(section)) broken.push(`${file}: docs/${doc}.md, "${section}"`);
      }
    }
    assert.ok(cited > 50, `found only ${cited} citations`);
    assert.deepEqual(broken, []);
  });

  it("point into the repository, not at documents outside it", () => {
    const outside = files.filter((file) =>
      /LAMBDA-FACTS|DESIGN\.md/.test(readFileSync(join(ROOT, file), "utf8")),
    );
    assert.deepEqual(
      outside.filter((file) => !file.endsWith("citations.test.ts")),
      [],
    );
  });
});
