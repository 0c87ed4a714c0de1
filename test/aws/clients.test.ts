import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createAwsClients } from "../../src/aws/clients.js";
import { UsageError } from "../../src/errors.js";

const home = mkdtempSync(join(tmpdir(), "lambda-tune-aws-"));
const configFile = join(home, "config");
writeFileSync(configFile, "[profile dev]\nregion = ap-south-1\n[default]\nregion = eu-north-1\n");
after(() => rmSync(home, { recursive: true, force: true }));

/** An environment with only what the test sets, and config files that exist. */
function env(vars: Record<string, string> = {}) {
  return {
    HOME: home,
    AWS_CONFIG_FILE: configFile,
    AWS_SHARED_CREDENTIALS_FILE: join(home, "none"),
    ...vars,
  };
}

async function regionOf(options: Parameters<typeof createAwsClients>[0]): Promise<string> {
  const clients = await createAwsClients(options);
  clients.destroy();
  return clients.region;
}

describe("createAwsClients: region and profile as the AWS CLI resolves them", () => {
  it("takes --region, then AWS_REGION, then AWS_DEFAULT_REGION", async () => {
    const both = env({ AWS_REGION: "us-west-2", AWS_DEFAULT_REGION: "eu-west-1" });
    assert.equal(await regionOf({ env: both, region: "ca-central-1" }), "ca-central-1");
    assert.equal(await regionOf({ env: both }), "us-west-2");
    assert.equal(await regionOf({ env: env({ AWS_DEFAULT_REGION: "eu-west-1" }) }), "eu-west-1");
  });

  it("reads a named profile's region, from --profile or AWS_PROFILE", async () => {
    assert.equal(await regionOf({ env: env(), profile: "dev" }), "ap-south-1");
    assert.equal(await regionOf({ env: env({ AWS_PROFILE: "dev" }) }), "ap-south-1");
  });

  it("refuses a profile that is in neither file, naming it and the profiles there are", async () => {
    for (const options of [
      { env: env(), profile: "nosuch" },
      { env: env({ AWS_PROFILE: "nosuch" }) },
    ]) {
      await assert.rejects(createAwsClients(options), (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, /the config profile \(nosuch\) could not be found/);
        assert.match(error.hint ?? "", /default, dev/);
        return true;
      });
    }
  });

  it("refuses an --endpoint-url that is not an http(s) URL, before any call", async () => {
    for (const endpointUrl of ["not-a-url", "ftp://127.0.0.1:21", "127.0.0.1:3001"]) {
      await assert.rejects(
        createAwsClients({ env: env(), region: "us-east-1", endpointUrl }),
        (error: unknown) =>
          error instanceof UsageError && /is not an http or https URL/.test(error.message),
      );
    }
  });
});
