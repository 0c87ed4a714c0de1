/** SGR codes for the few styles the renderers use; they never ask the terminal themselves. */
const codes = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const;

export type Style = keyof typeof codes;

/** Wraps `text` in the style when `enabled`; returns it unchanged otherwise. */
export function paint(text: string, style: Style, enabled: boolean): string {
  if (!enabled || text === "") return text;
  const [on, off] = codes[style];
  return `\x1b[${on}m${text}\x1b[${off}m`;
}

/** `text` without SGR escape sequences, for measuring what the terminal shows. */
export function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the escape character is the point
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}
