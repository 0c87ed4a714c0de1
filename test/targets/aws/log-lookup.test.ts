import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { InvokeCommand } from "@aws-sdk/client-lambda";
import { findReportInLogs } from "../../../src/targets/aws/log-lookup.js";
import { ECHO, type Emulator, startEmulator } from "./aws-fixture.js";

describe("REPORT from CloudWatch Logs when the tail lacks it", () => {
  let emu: Emulator;
  let logs: CloudWatchLogsClient;
  before(async () => {
    emu = await startEmulator({ functions: [{ name: "echo", handler: ECHO }] });
    logs = new CloudWatchLogsClient({
      endpoint: emu.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
  });
  after(async () => {
    logs.destroy();
    await emu.close();
  });

  it("finds the request's REPORT line with FilterLogEvents, and gives up on an unknown one", async () => {
    const started = Date.now();
    const response = await emu.admin.send(
      new InvokeCommand({ FunctionName: "echo", Payload: "{}" }),
    );
    const requestId = JSON.parse(Buffer.from(response.Payload ?? []).toString()).context
      .awsRequestId;
    const record = await findReportInLogs(logs, "echo", requestId, started, {
      waitMs: 5000,
      pollMs: 100,
    });
    assert.equal(record?.requestId, requestId);
    assert.equal(record?.memorySizeMB, 128);
    assert.equal(
      await findReportInLogs(logs, "echo", "00000000-0000-0000-0000-000000000000", started, {
        waitMs: 200,
        pollMs: 50,
      }),
      undefined,
    );
  });
});
