/** The report page's stylesheet: light and dark by prefers-color-scheme, and light on paper. */
export const HTML_STYLE = `
:root {
  color-scheme: light dark;
  --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa; --border: #d1d9e0;
  --grid: #e6eaef; --measured: #0969da; --band: rgba(9, 105, 218, 0.14); --fit: #8250df;
  --good: #1a7f37; --good-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9;
  --warn: #9a6700; --warn-bg: #fff8c5;
}
@media (prefers-color-scheme: dark) {
  :root {
    --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #151b23; --border: #3d444d;
    --grid: #262c36; --measured: #4493f8; --band: rgba(68, 147, 248, 0.2); --fit: #ab7df8;
    --good: #3fb950; --good-bg: rgba(46, 160, 67, 0.15); --bad: #f85149; --bad-bg: rgba(248, 81, 73, 0.12);
    --warn: #d29922; --warn-bg: rgba(187, 128, 9, 0.15);
  }
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
main { max-width: 1040px; margin: 0 auto; padding: 24px 20px 40px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 28px 0 10px; }
.meta { color: var(--muted); margin: 0; }
.meta span + span::before { content: " · "; }
.callout { border: 1px solid var(--border); border-left-width: 4px; border-radius: 6px; padding: 12px 16px; margin: 16px 0; background: var(--panel); }
.callout p { margin: 4px 0; }
.callout ul { margin: 6px 0 0; padding-left: 20px; }
.recommendation { border-left-color: var(--good); }
.recommendation .headline { font-size: 1.2rem; margin: 0 0 6px; }
.recommendation .size { color: var(--good); font-weight: 700; }
.none { border-left-color: var(--warn); }
.isolation-none, .warnings { border-left-color: var(--warn); background: var(--warn-bg); }
.label { color: var(--muted); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 16px; }
.chart-figure { margin: 0; border: 1px solid var(--border); border-radius: 6px; padding: 10px 12px 6px; break-inside: avoid; }
figcaption { font-weight: 600; }
figcaption .unit { color: var(--muted); font-weight: 400; }
svg.chart { display: block; width: 100%; height: auto; font-size: 12px; }
.chart .grid { stroke: var(--grid); }
.chart .axis, .chart .tick { stroke: var(--muted); }
.chart .tick-label { fill: var(--muted); font-variant-numeric: tabular-nums; }
.chart .axis-label { fill: var(--muted); }
.chart .band { fill: var(--band); }
.chart .whisker { stroke: var(--measured); stroke-width: 1.2; fill: none; opacity: 0.7; }
.chart .measured-line { stroke: var(--measured); stroke-width: 1.5; fill: none; opacity: 0.55; }
.chart .fit { stroke: var(--fit); stroke-width: 2; stroke-dasharray: 6 4; fill: none; }
.chart .point { fill: var(--measured); stroke: var(--bg); stroke-width: 1.5; }
.chart .point.excluded { fill: var(--bg); stroke: var(--bad); stroke-width: 2; }
.chart .point.recommended { fill: var(--good); stroke: var(--bg); stroke-width: 2; }
.chart .point:hover, .chart .point:focus { stroke: var(--fg); stroke-width: 2; outline: none; }
.chart .recommended-marker line { stroke: var(--good); stroke-width: 1.5; stroke-dasharray: 3 3; }
.chart .recommended-marker text { fill: var(--good); font-weight: 600; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 16px; padding: 0; margin: 4px 0; font-size: 0.85rem; color: var(--muted); }
.swatch { display: inline-block; width: 18px; height: 10px; margin-right: 6px; vertical-align: middle; }
.swatch-measured { height: 10px; width: 10px; border-radius: 50%; background: var(--measured); }
.swatch-range { background: var(--band); border-top: 2px solid var(--measured); }
.swatch-fit { height: 0; border-top: 2px dashed var(--fit); }
.swatch-excluded { height: 10px; width: 10px; border-radius: 50%; border: 2px solid var(--bad); }
.swatch-recommended { height: 12px; width: 12px; border-radius: 50%; background: var(--good); }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: var(--muted); padding-bottom: 6px; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--border); text-align: right; white-space: nowrap; }
thead th { font-size: 0.85rem; color: var(--muted); vertical-align: bottom; white-space: normal; }
td.text, td.errors, thead th:last-child { text-align: left; }
td.errors { color: var(--bad); }
tr.recommended { background: var(--good-bg); }
tr.recommended th { color: var(--good); }
tr.excluded { color: var(--muted); }
.badge { font-size: 0.75rem; font-weight: 600; padding: 1px 6px; border-radius: 10px; margin-left: 4px; }
.badge-recommended { color: var(--good); border: 1px solid var(--good); }
.badge-excluded { color: var(--bad); border: 1px solid var(--bad); }
.notes { padding-left: 20px; color: var(--muted); font-size: 0.9rem; }
.details p { margin: 4px 0; }
footer { margin-top: 32px; color: var(--muted); font-size: 0.85rem; }
@media (max-width: 520px) { .charts { grid-template-columns: 1fr; } }
@media print {
  :root {
    color-scheme: light;
    --fg: #000; --muted: #444; --bg: #fff; --panel: #fff; --border: #bbb; --grid: #e3e3e3;
    --measured: #0969da; --band: rgba(9, 105, 218, 0.14); --fit: #8250df;
    --good: #1a7f37; --good-bg: #fff; --bad: #cf222e; --bad-bg: #fff; --warn: #9a6700; --warn-bg: #fff;
  }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .charts { grid-template-columns: 1fr 1fr; }
  .chart-figure, .callout, tr { break-inside: avoid; }
  .table-wrap { overflow: visible; }
}
`;
