/** Text safe inside a GitHub-flavoured Markdown table cell: no pipe or line break can split it. */
export function escapeCell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

export type Align = "left" | "right" | "center";

const RULE: Record<Align, string> = { left: ":---", right: "---:", center: ":---:" };

/** A GFM table; every row gets exactly as many cells as the header. */
export function markdownTable(
  head: readonly string[],
  rows: readonly string[][],
  align: readonly Align[],
): string {
  const row = (cells: readonly string[]) =>
    `| ${head.map((_, i) => escapeCell(cells[i] ?? "")).join(" | ")} |`;
  const rule = `| ${head.map((_, i) => RULE[align[i] ?? "left"]).join(" | ")} |`;
  return [row(head), rule, ...rows.map(row)].join("\n");
}

/** `text` as inline code, fenced with more backticks than it contains. */
export function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = longest > 0 ? " " : "";
  return `${fence}${pad}${text.replace(/\r?\n/g, " ")}${pad}${fence}`;
}
