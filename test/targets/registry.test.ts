import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UsageError } from "../../src/errors.js";
import { checkTargetFlags, targetNamed } from "../../src/targets/registry.js";
import type { TargetDefinition } from "../../src/targets/target.js";

const target = (kind: string) => targetNamed(kind) as TargetDefinition;

describe("flags of another target", () => {
  it("are refused, naming the flag and the target it belongs to", () => {
    for (const [kind, options, flag, owner] of [
      ["aws", { cold: true }, "--cold", "local"],
      ["aws", { env: ["A=1"] }, "--env", "local"],
      ["replay", { passAwsCredentials: true }, "--pass-aws-credentials", "local"],
      ["local", { profile: "dev" }, "--profile", "aws"],
      ["local", { dryRun: true }, "--dry-run", "aws"],
      ["aws", { replayFile: "x.log" }, "--replay-file", "replay"],
    ] as const) {
      assert.throws(
        () => checkTargetFlags(target(kind), options),
        (error: unknown) =>
          error instanceof UsageError &&
          error.message ===
            `${flag} applies to the ${owner} target, not the ${kind} target this run uses` &&
          (error.hint ?? "").startsWith(`Leave out ${flag}`),
        `${kind} ${flag}`,
      );
    }
  });

  it("are not refused when absent or at commander's defaults", () => {
    checkTargetFlags(target("aws"), { billInit: false, region: "eu-west-1", json: true });
    checkTargetFlags(target("local"), { cold: true, env: ["A=1"], runtime: "python3.12" });
    checkTargetFlags(target("replay"), { replayFile: "x.log", billInit: false });
  });
});
