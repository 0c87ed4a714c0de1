import { resolve } from "node:path";
import type { Readable } from "node:stream";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { analyzeRecords, type RecordSource, streamSource } from "../analyze/analyze.js";
import type { AnalysisOptions } from "../analyze/build-analysis.js";
import { createAwsClients } from "../aws/clients.js";
import type { AnalysisDocument } from "../document/analysis.js";
import { UsageError } from "../errors.js";
import type { ReportRecord } from "../logs/record.js";
import { logGroupOf, readCloudWatchRecords } from "../logs/sources/cloudwatch-source.js";
import { openLogFile } from "../logs/sources/line-source.js";
import { isArchitecture, resolvePricing } from "../model/pricing.js";
import { renderAnalysis } from "../report/render-analysis.js";
import { type AnalyzeSettings, parseAnalyzeOptions, STDIN_NAME } from "./analyze-options.js";
import { type CliIo, outputWidth, useColor, write } from "./io.js";
import { checkWritable, writeFileAtomically } from "./output-file.js";
import { VERSION } from "./version.js";

/** What tests replace: the CloudWatch Logs client and the wait between Logs Insights polls. */
export interface AnalyzeDeps {
  logsClient?: CloudWatchLogsClient;
  sleep?: (ms: number) => Promise<void>;
  pollMs?: number;
}

type Common = Omit<AnalysisOptions, "source" | "window" | "region" | "pricing">;

function common(settings: AnalyzeSettings, io: CliIo): Common {
  const architecture = settings.architecture;
  if (!isArchitecture(architecture)) {
    // resolvePricing names the known ones.
    resolvePricing({ region: "us-east-1", architecture });
  }
  return {
    functionName: settings.functionName,
    architecture: architecture as "x86_64" | "arm64",
    seed: settings.seed,
    samplePerSize: settings.samplePerSize,
    toolVersion: VERSION,
    now: io.now,
  };
}

function pricingOf(settings: AnalyzeSettings, region: string) {
  return resolvePricing({
    region,
    architecture: settings.architecture,
    ...(settings.pricePerGbSecond !== undefined && { pricePerGbSecond: settings.pricePerGbSecond }),
    ...(settings.pricePerRequest !== undefined && { pricePerRequest: settings.pricePerRequest }),
  });
}

async function analyzeFiles(
  settings: AnalyzeSettings,
  source: Extract<AnalyzeSettings["source"], { kind: "files" }>,
  io: CliIo,
): Promise<AnalysisDocument> {
  if (source.files.length === 0 && (io.stdin as { isTTY?: boolean }).isTTY === true) {
    throw new UsageError("no log files given and stdin is a terminal", {
      hint: "name the function to read CloudWatch Logs (lambda-tune analyze my-fn --since 7d), pass --log-file F, or pipe logs in (... | lambda-tune analyze -)",
    });
  }
  const region = settings.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? "us-east-1";
  const pricing = pricingOf(settings, region);
  // Open every file first, so a wrong name fails before any reading.
  const inputs: { stream: Readable; name: string }[] = [];
  try {
    for (const file of source.files) {
      inputs.push({ stream: await openLogFile(resolve(io.cwd, file)), name: file });
    }
  } catch (error) {
    for (const input of inputs) input.stream.destroy();
    throw error;
  }
  if (source.stdin) inputs.push({ stream: io.stdin, name: STDIN_NAME });
  try {
    return await analyzeRecords(streamSource(inputs), {
      ...common(settings, io),
      source: { kind: "files", names: inputs.map((i) => i.name), method: null, notes: [] },
      window:
        source.windowMs === null
          ? null
          : { startMs: null, endMs: null, seconds: source.windowMs / 1000 },
      region,
      pricing,
    });
  } finally {
    for (const input of inputs) if (input.stream !== io.stdin) input.stream.destroy();
  }
}

async function analyzeCloudWatch(
  settings: AnalyzeSettings,
  source: Extract<AnalyzeSettings["source"], { kind: "cloudwatch" }>,
  io: CliIo,
  deps: AnalyzeDeps,
): Promise<AnalysisDocument> {
  const base = common(settings, io);
  const clients = await createAwsClients({
    env: io.env,
    ...(settings.region !== undefined && { region: settings.region }),
    ...(settings.profile !== undefined && { profile: settings.profile }),
    ...(settings.endpointUrl !== undefined && { endpointUrl: settings.endpointUrl }),
    ...(deps.logsClient !== undefined && { logsClient: deps.logsClient }),
  });
  try {
    const pricing = pricingOf(settings, clients.region);
    const logGroupName = logGroupOf(source.functionName);
    const notes: string[] = [];
    let malformed = 0;
    const batches: AsyncIterable<ReportRecord[]> = readCloudWatchRecords({
      logs: clients.logs,
      logGroupName,
      startMs: source.startMs,
      endMs: source.endMs,
      endpoint: settings.endpointUrl ?? `https://logs.${clients.region}.amazonaws.com`,
      region: clients.region,
      method: source.method,
      fallBackToFilter: source.fallBackToFilter,
      onNote: (note) => notes.push(note),
      onMalformed: () => {
        malformed++;
      },
      ...(deps.sleep !== undefined && { sleep: deps.sleep }),
      ...(deps.pollMs !== undefined && { pollMs: deps.pollMs }),
    });
    const records: RecordSource = { batches, malformed: () => malformed };
    return await analyzeRecords(records, {
      ...base,
      source: { kind: "cloudwatch", names: [logGroupName], method: source.method, notes },
      window: {
        startMs: source.startMs,
        endMs: source.endMs,
        seconds: (source.endMs - source.startMs) / 1000,
      },
      region: clients.region,
      pricing,
    });
  } finally {
    clients.destroy();
  }
}

/**
 * `lambda-tune analyze [function]`: judges a function from the REPORT records
 * it already wrote (log files, stdin, or CloudWatch Logs), without invoking
 * it. No records is an empty analysis and exit 0, not a failure.
 */
export async function analyzeCommand(
  functionArg: string | undefined,
  raw: Record<string, unknown>,
  io: CliIo,
  deps: AnalyzeDeps = {},
): Promise<number> {
  const settings = parseAnalyzeOptions(functionArg, raw, io.now().getTime());
  if (settings.out !== undefined) await checkWritable(io.cwd, settings.out);
  const source = settings.source;
  const doc =
    source.kind === "files"
      ? await analyzeFiles(settings, source, io)
      : await analyzeCloudWatch(settings, source, io, deps);
  const toFile = settings.out !== undefined;
  await write(
    io.stdout,
    renderAnalysis(doc, settings.output, {
      color: useColor(io),
      width: outputWidth(io),
    }),
  );
  if (settings.output === "json" && !settings.quiet && doc.warnings.length > 0) {
    await write(io.stderr, doc.warnings.map((w) => `lambda-tune: warning: ${w}\n`).join(""));
  }
  if (toFile && settings.out !== undefined) {
    await writeFileAtomically(
      io.cwd,
      settings.out,
      renderAnalysis(doc, "json", { color: false, width: 100 }),
    );
  }
  return 0;
}
