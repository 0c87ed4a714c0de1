import type { ResultDocument, Tier } from "../document/result.js";
import { formatCount, formatMs, formatPercent, formatUsd } from "../format.js";
import { escapeHtml } from "./html-escape.js";
import { interpolate } from "./render-chart.js";
import { legendEntries, type SvgChartSpec, svgChart } from "./svg-chart.js";

/** The duration and cost charts as figures with legends; empty when nothing was measured. */
export function htmlCharts(
  doc: ResultDocument,
  predict: ((memoryMb: number) => number) | undefined,
): string {
  // A size with only a cold call has no warm duration or cost to draw.
  const tiers = doc.tiers
    .filter((t) => t.warmInvocations > 0)
    .sort((a, b) => a.memoryMb - b.memoryMb);
  if (tiers.length === 0) return "";
  const recommendedMb = doc.recommendation?.memoryMb;
  const fitName =
    doc.model === null
      ? ""
      : `${doc.model.name} fit, held-out error ${formatPercent(doc.model.error)}`;
  const usable = predict !== undefined && doc.model !== null;
  const duration: SvgChartSpec = {
    id: "duration-chart",
    title: "Median duration by memory",
    unit: "ms",
    points: tiers.map((tier) => ({
      memoryMb: tier.memoryMb,
      value: tier.durationMs.median,
      high: tier.durationMs.p95,
      tooltip: tooltip(tier),
      excluded: tier.excluded !== undefined,
    })),
    rangeLabel: "median to p95",
    fromZero: true,
    format: formatMs,
    ...(usable && { fitted: { label: fitName, at: predict } }),
    ...(recommendedMb !== undefined && { recommendedMb }),
  };
  const cost: SvgChartSpec = {
    id: "cost-chart",
    title: "Cost per 1M invocations by memory",
    unit: "USD per 1M",
    points: tiers.map((tier) => ({
      memoryMb: tier.memoryMb,
      value: perMillion(tier),
      tooltip: tooltip(tier),
      excluded: tier.excluded !== undefined,
    })),
    fromZero: false,
    format: formatUsd,
    ...(usable && {
      fitted: {
        label: "fitted cost",
        at: (memoryMb: number) => fittedCostPerMillion(doc, tiers, memoryMb, predict(memoryMb)),
      },
    }),
    ...(recommendedMb !== undefined && { recommendedMb }),
  };
  return `<div class="charts">\n${[duration, cost].map(figure).join("\n")}\n</div>`;
}

function figure(spec: SvgChartSpec): string {
  const legend = legendEntries(spec)
    .map(
      ({ key, label }) =>
        `<li><span class="swatch swatch-${key}" aria-hidden="true"></span>${escapeHtml(label)}</li>`,
    )
    .join("");
  return [
    `<figure class="chart-figure">`,
    `<figcaption>${escapeHtml(spec.title)} <span class="unit">(${escapeHtml(spec.unit)})</span></figcaption>`,
    svgChart(spec),
    `<ul class="legend">${legend}</ul>`,
    "</figure>",
  ].join("\n");
}

function tooltip(tier: Tier): string {
  const lines = [
    `${tier.memoryMb} MB`,
    `median ${formatMs(tier.durationMs.median)} ms, p95 ${formatMs(tier.durationMs.p95)} ms`,
    `${formatUsd(perMillion(tier))} per 1M invocations`,
    `${formatCount(tier.invocations, "call")}, ${formatCount(tier.errors, "error")}`,
  ];
  if (tier.excluded !== undefined) lines.push(`excluded: ${tier.excluded}`);
  return lines.join("\n");
}

/**
 * Cost per 1M invocations of the fitted duration. The model fits the median but
 * measured cost comes from the mean billed duration, so the curve is scaled by
 * their ratio at the measured sizes; else it would sit apart from every point.
 */
function fittedCostPerMillion(
  doc: ResultDocument,
  tiers: readonly Tier[],
  memoryMb: number,
  medianMs: number,
): number {
  const ratios = tiers
    .filter((t) => t.excluded === undefined && t.durationMs.median > 0)
    .map((t) => ({ memoryMb: t.memoryMb, value: t.billedDurationMs.mean / t.durationMs.median }));
  const ratio = ratios.length === 0 ? 1 : interpolate(ratios, memoryMb);
  const { pricePerGbSecondUsd, pricePerRequestUsd } = doc.pricing;
  const billedSeconds = (medianMs * ratio) / 1000;
  return (pricePerGbSecondUsd * (memoryMb / 1024) * billedSeconds + pricePerRequestUsd) * 1e6;
}

/** What a million invocations cost: production's cost with a cold-start rate, else the steady state's. */
function perMillion(tier: Tier): number {
  return (tier.productionCostPerInvocationUsd ?? tier.costPerInvocationUsd) * 1e6;
}
