import { stripAnsi } from "./ansi.js";

/**
 * Breaks `text` into lines of at most `width` characters at spaces, the first
 * line starting with `first` and the rest with `rest` (a hanging indent).
 * A word longer than the line is left whole rather than cut. Escape codes take no room.
 */
export function wrapText(text: string, width: number, first = "", rest = first): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (!empty && stripAnsi(line).length + 1 + stripAnsi(word).length > width) {
      lines.push(line);
      line = rest + word;
    } else {
      line = empty ? line + word : `${line} ${word}`;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}
