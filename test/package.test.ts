import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

interface Packed {
  files: { path: string }[];
}

// What `npm pack` would ship (npm test builds dist/ first); scripts off, so it does not rebuild.
const packed = (
  JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }),
  ) as Packed[]
)[0]!;
const paths = new Set(packed.files.map((f) => f.path));
const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")) as Record<string, unknown>;

describe("the npm package", () => {
  it("ships the license, the docs, the examples, the schemas and the fixtures README uses", () => {
    for (const path of [
      "LICENSE",
      "README.md",
      "docs/architecture.md",
      "docs/lambda-facts.md",
      "docs/result-schema.md",
      "examples/README.md",
      "schema/result.schema.json",
      "fixtures/functions/cpu-bound/index.mjs",
      "dist/cli/main.js",
    ]) {
      assert.ok(paths.has(path), `${path} is not in the package`);
    }
  });

  it("has every file README.md links to", () => {
    const readme = readFileSync(`${ROOT}README.md`, "utf8");
    const links = [...readme.matchAll(/\]\(((?!https?:|#)[^)#\s]+)/g)].map((m) => m[1]!);
    assert.ok(links.length > 3);
    const missing = links.filter(
      (link) =>
        !paths.has(link) && ![...paths].some((p) => p.startsWith(`${link.replace(/\/$/, "")}/`)),
    );
    assert.deepEqual(missing, []);
  });

  it("has no source map that points at sources it does not carry", () => {
    const maps = [...paths].filter((p) => p.endsWith(".map"));
    assert.ok(maps.length > 50);
    const dangling = maps.filter((map) => {
      const parsed = JSON.parse(readFileSync(`${ROOT}${map}`, "utf8")) as {
        sources: string[];
        sourcesContent?: (string | null)[];
      };
      return parsed.sources.some((_, i) => typeof parsed.sourcesContent?.[i] !== "string");
    });
    assert.deepEqual(dangling, []);
  });

  it("says where it lives and where to report bugs, and runs no script on install", () => {
    assert.equal(typeof (pkg.repository as { url?: unknown })?.url, "string");
    assert.equal(typeof pkg.homepage, "string");
    assert.match(String((pkg.bugs as { url?: unknown })?.url), /^https:\/\//);
    const scripts = pkg.scripts as Record<string, string>;
    for (const hook of ["preinstall", "install", "postinstall", "prepare"]) {
      assert.equal(scripts[hook], undefined, `a ${hook} script makes npm warn on every install`);
    }
  });
});
