import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkLocalRequest, isLoopbackHost } from "../../../src/emulator/api/request-guard.js";

describe("which requests count as local", () => {
  it("takes loopback names only, with or without a port", () => {
    for (const host of [
      "localhost",
      "localhost:3001",
      "LOCALHOST",
      "app.localhost:80",
      "127.0.0.1",
      "127.1.2.3:9",
      "[::1]",
      "[::1]:3001",
    ]) {
      assert.equal(isLoopbackHost(host), true, host);
    }
    for (const host of [
      "attacker.example",
      "localhost.attacker.example",
      "127.0.0.1.nip.io",
      "0.0.0.0",
      "10.0.0.1:3001",
      "[::ffff:7f00:1]",
      "",
    ]) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });

  it("refuses what a browser sends for a web page, and takes what AWS clients send", () => {
    assert.equal(checkLocalRequest({ host: "127.0.0.1:3001" }), undefined);
    assert.equal(
      checkLocalRequest({ host: "127.0.0.1:3001", "sec-fetch-site": "none" }),
      undefined,
    );
    assert.equal(checkLocalRequest({ host: "127.0.0.1:3001", origin: "null" })?.status, 403);
    assert.equal(
      checkLocalRequest({ host: "127.0.0.1:3001", "sec-fetch-site": "cross-site" })?.status,
      403,
    );
    assert.equal(checkLocalRequest({})?.status, 403);
  });
});
