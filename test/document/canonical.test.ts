import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canonicalize, resultJson } from "../../src/document/canonical.js";
import type { ResultDocument } from "../../src/document/result.js";
import { resolvePricing } from "../../src/model/pricing.js";
import { loadRecording } from "../../src/targets/replay/load.js";
import { createReplayTarget } from "../../src/targets/replay/replay-target.js";
import { DEFAULT_SIZES } from "../../src/tune/memory-spec.js";
import { buildResult, tune } from "../../src/tune/tune.js";
import { sampleResult } from "./sample-result.js";
import { keyOrderProblems } from "./schema-walk.js";
import { assertValidResult } from "./validate.js";

const RECORDING = "fixtures/recordings/pacslab-f5.log";
const pricing = resolvePricing({ region: "us-east-1", architecture: "x86_64" });

async function replayRun(seed: number, now: Date): Promise<ResultDocument> {
  const { records, name } = await loadRecording(RECORDING);
  const target = createReplayTarget({ records, name, seed });
  return tune({
    target,
    info: { ...(await target.describe()), currentMemoryMb: 512, currentTimeoutSeconds: 3 },
    plan: { kind: "grid", sizes: DEFAULT_SIZES, invocationsPerSize: 10 },
    seed,
    payload: "{}",
    concurrency: 1,
    pricing,
    strategy: "cost",
    targetKind: "replay",
    toolVersion: "0.0.0-test",
    now: () => now,
  });
}

const withoutGeneratedAt = (json: string) => json.replace(/"generatedAt": "[^"]*"/, "");

describe("result JSON", () => {
  it("is byte for byte the same for the same recording and seed, but for generatedAt", async () => {
    const first = resultJson(await replayRun(7, new Date("2025-01-01T00:00:00Z")));
    const second = resultJson(await replayRun(7, new Date("2026-06-30T12:34:56Z")));
    assert.notEqual(first, second);
    assert.equal(withoutGeneratedAt(first), withoutGeneratedAt(second));
    assert.equal((first.match(/\d{4}-\d\d-\d\dT/g) ?? []).length, 1, "only generatedAt is a time");
    const other = resultJson(await replayRun(8, new Date("2025-01-01T00:00:00Z")));
    assert.notEqual(withoutGeneratedAt(first), withoutGeneratedAt(other), "the seed matters");
  });

  it("is the same from buildResult on the same records", async () => {
    const { records } = await loadRecording(RECORDING);
    const options = {
      targetKind: "replay" as const,
      info: { name: "f5", architecture: "x86_64" as const, region: "us-east-1", warnings: [] },
      planSummary: { sizes: [128, 1024], invocationsPerSize: 100, budget: null, seed: 3 },
      pricing,
      strategy: "cost" as const,
      toolVersion: "0.0.0-test",
      now: () => new Date(0),
    };
    const some = records.filter((r) => r.memorySizeMB === 128 || r.memorySizeMB === 1024);
    assert.equal(resultJson(buildResult(options, some)), resultJson(buildResult(options, some)));
  });

  it("follows the schema's property order in every object, and the schema", async () => {
    const doc = JSON.parse(resultJson(await replayRun(7, new Date(0))));
    assert.deepEqual(keyOrderProblems(doc), []);
    assertValidResult(doc);
  });

  it("puts the keys of a document assembled in any order in the schema's order", () => {
    const doc = sampleResult();
    const { current, isolation, ...rest } = doc;
    const shuffled = {
      ...Object.fromEntries(Object.entries(rest).reverse()),
      current,
      isolation,
      tiers: doc.tiers.map((t) => Object.fromEntries(Object.entries(t).reverse())),
    } as unknown as ResultDocument;
    assert.notDeepEqual(keyOrderProblems(shuffled), []);
    const canonical = canonicalize(shuffled);
    assert.deepEqual(keyOrderProblems(JSON.parse(JSON.stringify(canonical))), []);
    assert.deepEqual(canonical, doc);
  });

  it("keeps unknown keys, after the known ones", () => {
    const doc = { extra: 1, ...sampleResult() } as ResultDocument;
    assert.equal(Object.keys(canonicalize(doc)).at(-1), "extra");
  });
});
