import type { Architecture } from "../document/result.js";
import { UsageError } from "../errors.js";

/** When the list prices below were taken (docs/lambda-facts.md, "Prices"). */
export const PRICES_AS_OF = "2025-11";

/** $0.20 per million requests (docs/lambda-facts.md, "Prices"); free tier ignored. */
export const PRICE_PER_REQUEST_USD = 0.0000002;

export const KNOWN_ARCHITECTURES: readonly Architecture[] = ["x86_64", "arm64"];

type PricePerGbSecond = Readonly<Record<Architecture, number>>;

// us-east-1 and most regions: x86_64 $0.0000166667, arm64 $0.0000133334
// (docs/lambda-facts.md, "Prices").
const STANDARD: PricePerGbSecond = { x86_64: 0.0000166667, arm64: 0.0000133334 };

/**
 * List price per GB-second of the first volume tier. ap-northeast-3 is left
 * out: sources disagree (0.0000166667 vs ~0.0000216,
 * docs/lambda-facts.md, "Prices"), so it needs --price-per-gb-second.
 */
export const PRICE_PER_GB_SECOND_BY_REGION: Readonly<Record<string, PricePerGbSecond>> = {
  "us-east-1": STANDARD,
  "us-east-2": STANDARD,
  "us-west-1": STANDARD,
  "us-west-2": STANDARD,
  "eu-west-1": STANDARD,
  "eu-west-2": STANDARD,
  "eu-west-3": STANDARD,
  "eu-central-1": STANDARD,
  "eu-north-1": STANDARD,
  "ap-south-1": STANDARD,
  "ap-southeast-1": STANDARD,
  "ap-southeast-2": STANDARD,
  "ap-northeast-1": STANDARD,
  "ap-northeast-2": STANDARD,
  "ca-central-1": STANDARD,
  "sa-east-1": STANDARD,
  // Regions with their own prices (docs/lambda-facts.md, "Prices").
  "eu-south-1": { x86_64: 0.0000195172, arm64: 0.0000156138 },
  "me-south-1": { x86_64: 0.0000206667, arm64: 0.0000165334 },
  "af-south-1": { x86_64: 0.0000221, arm64: 0.00001768 },
  "ap-east-1": { x86_64: 0.00002292, arm64: 0.0000183 },
};

export const KNOWN_REGIONS: readonly string[] = Object.keys(PRICE_PER_GB_SECOND_BY_REGION);

export interface Pricing {
  pricePerGbSecondUsd: number;
  pricePerRequestUsd: number;
  /** Where the figures came from, for the result document. */
  source: string;
}

export interface PricingOptions {
  region: string;
  /** Checked here because it usually comes straight from the command line. */
  architecture: string;
  /** Overrides the list price per GB-second (e.g. a negotiated or newer price). */
  pricePerGbSecond?: number;
  /** Overrides the price of one request. */
  pricePerRequest?: number;
}

export function isArchitecture(value: string): value is Architecture {
  return (KNOWN_ARCHITECTURES as readonly string[]).includes(value);
}

function checkOverride(name: string, value: number, allowZero: boolean): void {
  if (Number.isFinite(value) && (allowZero ? value >= 0 : value > 0)) return;
  throw new UsageError(
    `${name} must be a ${allowZero ? "non-negative" : "positive"} number of US dollars, got ${value}`,
    { hint: `pass ${name} as a plain number, e.g. ${name} 0.0000166667` },
  );
}

export function resolvePricing(options: PricingOptions): Pricing {
  const region = options.region.trim().toLowerCase();
  const architecture = options.architecture.trim();
  if (!isArchitecture(architecture)) {
    throw new UsageError(
      `unknown architecture "${options.architecture}"; known: ${KNOWN_ARCHITECTURES.join(", ")}`,
      { hint: `pass --architecture ${KNOWN_ARCHITECTURES.join(" or --architecture ")}` },
    );
  }
  if (options.pricePerGbSecond !== undefined) {
    checkOverride("--price-per-gb-second", options.pricePerGbSecond, false);
  }
  if (options.pricePerRequest !== undefined) {
    checkOverride("--price-per-request", options.pricePerRequest, true);
  }

  const listed = PRICE_PER_GB_SECOND_BY_REGION[region];
  let pricePerGbSecondUsd: number;
  const sources: string[] = [];
  if (options.pricePerGbSecond !== undefined) {
    pricePerGbSecondUsd = options.pricePerGbSecond;
    sources.push("price per GB-second given by --price-per-gb-second");
  } else if (listed !== undefined) {
    pricePerGbSecondUsd = listed[architecture];
    sources.push(`AWS list price for ${region} ${architecture} as of ${PRICES_AS_OF}`);
  } else {
    throw new UsageError(
      `no Lambda price known for region "${options.region}"; known regions: ${KNOWN_REGIONS.join(", ")}`,
      {
        hint: "pass --price-per-gb-second with the price for that region and architecture (AWS Price List API, service AWSLambda)",
      },
    );
  }

  let pricePerRequestUsd = PRICE_PER_REQUEST_USD;
  if (options.pricePerRequest !== undefined) {
    pricePerRequestUsd = options.pricePerRequest;
    sources.push("request price given by --price-per-request");
  } else {
    sources.push(`$0.20 per million requests as of ${PRICES_AS_OF}`);
  }
  return { pricePerGbSecondUsd, pricePerRequestUsd, source: sources.join("; ") };
}
