import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import type { ResultDocument } from "../../src/document/result.js";
import { predict } from "../../src/model/fit.js";
import { resolvePricing } from "../../src/model/pricing.js";
import { renderHtml } from "../../src/report/render-html.js";
import { loadRecording } from "../../src/targets/replay/load.js";
import { buildResult } from "../../src/tune/tune.js";
import { samplePredict, sampleResult } from "../document/sample-result.js";
import { Browser, CHROMIUM, chromiumAvailable } from "./chromium.js";

const ARTIFACTS = "test-artifacts";
const WIDTH = 1200;

interface ChartInfo {
  width: number;
  height: number;
  points: number;
  drawnPoints: number;
  recommended: number;
  fitLength: number;
}

interface PageInfo {
  charts: ChartInfo[];
  rows: number;
  background: string;
  height: number;
}

const INSPECT = `(() => {
  const charts = [...document.querySelectorAll("svg.chart")].map((svg) => {
    const box = svg.getBoundingClientRect();
    const points = [...svg.querySelectorAll("circle.point")];
    const fit = svg.querySelector("path.fit");
    return {
      width: box.width,
      height: box.height,
      points: points.length,
      drawnPoints: points.filter((p) => { const b = p.getBoundingClientRect(); return b.width > 0 && b.height > 0; }).length,
      recommended: svg.querySelectorAll("circle.point.recommended").length,
      fitLength: fit ? fit.getTotalLength() : 0,
    };
  });
  return {
    charts,
    rows: document.querySelectorAll("table.tiers tbody tr").length,
    background: getComputedStyle(document.body).backgroundColor,
    height: document.documentElement.scrollHeight,
  };
})()`;

/** Opens an HTML file, records every console message, exception, log entry and request beyond it. */
async function open(browser: Browser, file: string, scheme: "light" | "dark") {
  const session = await browser.newPage();
  const problems: string[] = [];
  const url = pathToFileURL(file).href;
  browser.onEvent((method, params, from) => {
    if (from !== session) return;
    if (method === "Runtime.consoleAPICalled") problems.push(`console.${params.type}`);
    if (method === "Runtime.exceptionThrown") problems.push(`exception ${JSON.stringify(params)}`);
    if (method === "Log.entryAdded") {
      const entry = params.entry as { level: string; text: string };
      if (entry.level === "error" || entry.level === "warning") problems.push(entry.text);
    }
    if (method === "Network.requestWillBeSent") {
      const request = (params.request as { url: string }).url;
      if (request !== url) problems.push(`request ${request}`);
    }
  });
  for (const domain of ["Runtime", "Log", "Page", "Network"])
    await browser.send(`${domain}.enable`, {}, session);
  await browser.send(
    "Emulation.setDeviceMetricsOverride",
    { width: WIDTH, height: 900, deviceScaleFactor: 1, mobile: false },
    session,
  );
  await browser.send(
    "Emulation.setEmulatedMedia",
    { features: [{ name: "prefers-color-scheme", value: scheme }] },
    session,
  );
  const loaded = browser.waitFor("Page.loadEventFired", session);
  await browser.send("Page.navigate", { url }, session);
  await loaded;
  const { result } = await browser.send(
    "Runtime.evaluate",
    { expression: INSPECT, returnByValue: true },
    session,
  );
  const info = (result as { value: PageInfo }).value;
  return { session, problems, info };
}

async function screenshot(browser: Browser, session: string, height: number, path: string) {
  const { data } = await browser.send(
    "Page.captureScreenshot",
    {
      format: "png",
      captureBeyondViewport: true,
      clip: { x: 0, y: 0, width: WIDTH, height, scale: 1 },
    },
    session,
  );
  await writeFile(path, Buffer.from(data as string, "base64"));
}

async function replayResult(): Promise<ResultDocument> {
  const { records } = await loadRecording("fixtures/recordings/pacslab-f5.log");
  const perSize = new Map<number, number>();
  // The first 10 calls at every one of the 46 recorded sizes: a dense chart.
  const chosen = records.filter((r) => {
    const seen = perSize.get(r.memorySizeMB) ?? 0;
    perSize.set(r.memorySizeMB, seen + 1);
    return seen < 10;
  });
  const sizes = [...perSize.keys()].sort((a, b) => a - b);
  return buildResult(
    {
      targetKind: "replay",
      info: {
        name: "pacslab-f5 <PBKDF2>",
        architecture: "x86_64",
        region: "us-east-1",
        warnings: [],
      },
      planSummary: { sizes, invocationsPerSize: 10, budget: null, seed: 1 },
      pricing: resolvePricing({ region: "us-east-1", architecture: "x86_64" }),
      strategy: "cost",
      toolVersion: "0.0.0-test",
      now: () => new Date("2025-09-14T10:00:00Z"),
    },
    chosen,
  );
}

describe("the HTML report in a real browser", { timeout: 120_000 }, () => {
  if (!chromiumAvailable()) {
    it("needs Chromium", (t) => {
      t.skip(`${CHROMIUM} is not installed (apt-get install -y --no-install-recommends chromium)`);
    });
    return;
  }

  let dir = "";
  let browser: Browser;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lambda-tune-html-"));
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await Browser.launch();
  });
  after(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("draws the sample result without errors or requests, in light and dark", async () => {
    const file = join(dir, "sample.html");
    await writeFile(file, renderHtml(sampleResult(), { predict: samplePredict }));
    const backgrounds: string[] = [];
    for (const scheme of ["light", "dark"] as const) {
      const { session, problems, info } = await open(browser, file, scheme);
      assert.deepEqual(problems, []);
      assert.equal(info.charts.length, 2);
      for (const chart of info.charts) {
        assert.ok(chart.width > 300 && chart.height > 150, JSON.stringify(chart));
        assert.equal(chart.points, 5);
        assert.equal(chart.drawnPoints, 5);
        assert.equal(chart.recommended, 1);
        assert.ok(chart.fitLength > 100, "the fitted curve is drawn");
      }
      assert.equal(info.rows, 5);
      backgrounds.push(info.background);
      const name = scheme === "light" ? "report.png" : "report-dark.png";
      await screenshot(browser, session, info.height, join(ARTIFACTS, name));
      if (scheme === "light") {
        const { data } = await browser.send("Page.printToPDF", { printBackground: true }, session);
        const pdf = Buffer.from(data as string, "base64");
        assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
        await writeFile(join(ARTIFACTS, "report.pdf"), pdf);
      }
    }
    assert.notEqual(backgrounds[0], backgrounds[1], "dark mode changes the page");
  });

  it("draws a replay of a real recording at all 46 sizes", async () => {
    const doc = await replayResult();
    const fit = doc.model;
    assert.ok(fit !== null && doc.recommendation !== null);
    const file = join(dir, "replay.html");
    await writeFile(file, renderHtml(doc, { predict: (m) => predict(fit, m) }));
    const { session, problems, info } = await open(browser, file, "light");
    assert.deepEqual(problems, []);
    assert.equal(info.charts.length, 2);
    for (const chart of info.charts) {
      assert.equal(chart.points, 46);
      assert.equal(chart.drawnPoints, 46);
      assert.equal(chart.recommended, 1);
    }
    assert.equal(info.rows, 46);
    await screenshot(browser, session, info.height, join(ARTIFACTS, "report-replay.png"));
  });
});
