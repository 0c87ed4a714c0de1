import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UsageError } from "../../src/errors.js";
import {
  KNOWN_ARCHITECTURES,
  KNOWN_REGIONS,
  PRICE_PER_REQUEST_USD,
  PRICES_AS_OF,
  resolvePricing,
} from "../../src/model/pricing.js";

describe("resolvePricing", () => {
  it("gives the list prices of us-east-1 for both architectures", () => {
    const x86 = resolvePricing({ region: "us-east-1", architecture: "x86_64" });
    assert.equal(x86.pricePerGbSecondUsd, 0.0000166667);
    assert.equal(x86.pricePerRequestUsd, 0.0000002);
    assert.match(x86.source, /us-east-1 x86_64/);
    assert.ok(x86.source.includes(PRICES_AS_OF));
    const arm = resolvePricing({ region: "us-east-1", architecture: "arm64" });
    assert.equal(arm.pricePerGbSecondUsd, 0.0000133334);
  });

  it("gives the regional prices where they differ", () => {
    const cases: [string, string, number][] = [
      ["eu-south-1", "x86_64", 0.0000195172],
      ["me-south-1", "arm64", 0.0000165334],
      ["af-south-1", "x86_64", 0.0000221],
      ["ap-east-1", "arm64", 0.0000183],
      ["eu-west-1", "x86_64", 0.0000166667],
      ["ap-northeast-1", "arm64", 0.0000133334],
    ];
    for (const [region, architecture, price] of cases) {
      assert.equal(resolvePricing({ region, architecture }).pricePerGbSecondUsd, price, region);
    }
  });

  it("accepts the region in any case", () => {
    const pricing = resolvePricing({ region: " EU-Central-1 ", architecture: "x86_64" });
    assert.equal(pricing.pricePerGbSecondUsd, 0.0000166667);
  });

  it("applies overrides and names them in the source", () => {
    const pricing = resolvePricing({
      region: "us-east-1",
      architecture: "arm64",
      pricePerGbSecond: 0.00001,
      pricePerRequest: 0,
    });
    assert.equal(pricing.pricePerGbSecondUsd, 0.00001);
    assert.equal(pricing.pricePerRequestUsd, 0);
    assert.match(pricing.source, /--price-per-gb-second/);
    assert.match(pricing.source, /--price-per-request/);
  });

  it("prices an unknown region when the price per GB-second is given", () => {
    const pricing = resolvePricing({
      region: "ap-northeast-3",
      architecture: "x86_64",
      pricePerGbSecond: 0.0000216,
    });
    assert.equal(pricing.pricePerGbSecondUsd, 0.0000216);
    assert.equal(pricing.pricePerRequestUsd, PRICE_PER_REQUEST_USD);
  });

  it("rejects an unknown region, listing the known ones and hinting at the override", () => {
    assert.throws(
      () => resolvePricing({ region: "ap-northeast-3", architecture: "x86_64" }),
      (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.equal(error.exitCode, 2);
        assert.match(error.message, /ap-northeast-3/);
        for (const region of KNOWN_REGIONS) assert.ok(error.message.includes(region), region);
        assert.match(error.hint ?? "", /--price-per-gb-second/);
        return true;
      },
    );
  });

  it("rejects an unknown architecture, listing the known ones, even with a price override", () => {
    assert.throws(
      () => resolvePricing({ region: "us-east-1", architecture: "arm", pricePerGbSecond: 0.00001 }),
      (error: unknown) => {
        assert.ok(error instanceof UsageError);
        for (const architecture of KNOWN_ARCHITECTURES) {
          assert.ok(error.message.includes(architecture), architecture);
        }
        assert.match(error.hint ?? "", /--architecture/);
        return true;
      },
    );
  });

  it("rejects negative, zero or non-finite overrides", () => {
    const bad = [
      { pricePerGbSecond: 0 },
      { pricePerGbSecond: -1 },
      { pricePerGbSecond: Number.NaN },
      { pricePerRequest: -0.1 },
    ];
    for (const override of bad) {
      assert.throws(
        () => resolvePricing({ region: "us-east-1", architecture: "x86_64", ...override }),
        UsageError,
      );
    }
  });

  it("lists the standard-price regions and leaves out the disputed ap-northeast-3", () => {
    assert.equal(KNOWN_REGIONS.length, 20);
    assert.ok(KNOWN_REGIONS.includes("sa-east-1"));
    assert.ok(!KNOWN_REGIONS.includes("ap-northeast-3"));
  });
});
