#!/usr/bin/env node
// Rewrites comments that cite LAMBDA-FACTS.md or DESIGN.md (documents that
// never were in the repository) to cite docs/lambda-facts.md or
// docs/architecture.md with a section, e.g. (docs/lambda-facts.md, "Billing").
// The section is chosen from the citation's label and the words of the
// sentence around it, never from line numbers, so it works on a tree whose
// files have moved. Running it twice changes nothing the second time.
//
//   node scripts/repoint-citations.mjs [root] [--dry-run] [--verbose]
//
// Walks src/, test/, bench/ and scripts/ under root (default: the current
// directory). Exits 1 when a citation is left that it could not map.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const FACTS = "docs/lambda-facts.md";
const ARCHITECTURE = "docs/architecture.md";
const WIDTH = 100;
const DIRECTORIES = ["src", "test", "bench", "scripts"];
const SOURCE_FILE = /\.[cm]?[jt]s$/;
const SKIPPED_DIRECTORIES = new Set(["node_modules", "dist", ".git"]);

// The old documents' headings, and the short labels comments gave them
// (lower case), to the new documents' headings.
const FACTS_LABELS = new Map([
  ["memory, cpu, time limits", "Memory and CPU"],
  ["memory", "Memory and CPU"],
  ["time limits", "Memory and CPU"],
  ["billing", "Billing"],
  ["other regions seen in public price tables", "Prices"],
  ["report lines", "REPORT records"],
  ["report lines (what the parser must read)", "REPORT records"],
  ["json format", "REPORT records"],
  ["runtime api", "Runtime API"],
  ["lambda runtime api", "Runtime API"],
  ["lambda runtime api (what a local runtime talks to)", "Runtime API"],
  ["lambda api", "Lambda API"],
  ["lambda api as the aws sdk v3 sends it", "Lambda API"],
  ["lambda api as the aws sdk v3 sends it (rest-json)", "Lambda API"],
  ["logs insights", "CloudWatch Logs"],
  ["what the existing tools do", "Other tools"],
  ["what the existing tools do (and miss)", "Other tools"],
  ["model notes", "Cost curves"],
  ["model notes from real measurements", "Cost curves"],
  ["first calls", "First calls"],
  ["first calls: a cold start inflates duration, not only init", "First calls"],
  ["cfs staircase", "CPU throttling"],
  ["cpu throttling in detail", "CPU throttling"],
  ["cpu throttling in detail (what produces the staircase)", "CPU throttling"],
  ["control-plane limits and pitfalls", "Control plane"],
  ["runtimes", "Runtimes"],
]);

// Labels that name one topic within a section; the comment keeps the name.
const FACTS_TOPICS = new Map([
  ["invoke", "Lambda API"],
  ["updatefunctionconfiguration", "Lambda API"],
  ["publishversion", "Lambda API"],
  ["errors", "Lambda API"],
]);

// Words of the sentence that decide the section whatever the label says: the
// old document filed these facts elsewhere than the new one does.
const FACTS_BY_TEXT_FIRST = [
  [/\bCFS\b|staircase|\bquota\b|throttl/i, "CPU throttling"],
  [/runtime response/i, "Runtime API"],
  [/\$\d|list prices?\b|per million requests|0\.0000\d/i, "Prices"],
  [/update is in progress|RevisionId|PreconditionFailed|ResourceConflict/, "Control plane"],
  [
    /Logs Insights|StartQuery|@memorySize|MB x 10\^6|log group|logs to this group/i,
    "CloudWatch Logs",
  ],
  [/payload/i, "Lambda API"],
];

// Words of the sentence that decide the section when the label does not.
const FACTS_BY_TEXT_LAST = [
  [
    /LogType: Tail|last 4 KB|Retry-After|\b429\b|PublishVersion|UpdateFunctionConfiguration/,
    "Lambda API",
  ],
  [/REPORT line|XRAY|X-Ray|\bRIE\b|platform\.report|Telemetry API|\btabs?\b/, "REPORT records"],
  [/cold start|Billed Duration|\bbill/i, "Billing"],
  [/vCPU|1,769 MB|10,240|whole seconds|timeout|INIT phase/i, "Memory and CPU"],
  [/Power Tuning|Parrotfish|Compute Optimizer/, "Other tools"],
  [/first call/i, "First calls"],
];

const DESIGN_BY_TEXT = [
  [/exit code/i, "Errors and exit codes"],
  [/command line|command-line/i, "Command line"],
  [/data flow/i, "Data flow"],
  [/layout|layer|import/i, "Layering rules"],
  [/target/i, "Targets"],
  [/emulator|sandbox|cgroup/i, "Emulator"],
  [/recommend|strateg/i, "Recommendation"],
  [/test|bench/i, "Testing"],
];

const DOCUMENT = String.raw`(LAMBDA-FACTS(?:\.md)?|DESIGN\.md)`;
// (LAMBDA-FACTS.md, "Section"...), (LAMBDA-FACTS: label), (LAMBDA-FACTS.md)
const OWN_PARENTHESES = new RegExp(String.raw`\(${DOCUMENT}(?:\s*([,:])\s*([^()]*?))?\)`, "g");
// (something, LAMBDA-FACTS.md) and (something; LAMBDA-FACTS.md)
const CLOSING_PARENTHESES = new RegExp(String.raw`([,;])\s*${DOCUMENT}\)`, "g");
// "LAMBDA-FACTS: the text." or "LAMBDA-FACTS (label): the text." opening a line
const OPENING = new RegExp(String.raw`^${DOCUMENT}(?:\s*\(([^()]*)\))?:[ \t]*`, "gm");
const ANY = /LAMBDA-FACTS|DESIGN\.md/;

function oneLine(text) {
  return text.replace(/\s+/g, " ").trim();
}

/** The sentence of `text` around [start, end), on one line, for the rules above. */
function sentenceAround(text, start, end) {
  let from = start;
  while (from > 0 && !(/[.!?]/.test(text[from - 1] ?? "") && /\s/.test(text[from] ?? ""))) {
    if (text[from - 1] === "\n" && text[from - 2] === "\n") break;
    from--;
  }
  let to = end;
  while (to < text.length && !(/[.!?]/.test(text[to] ?? "") && /\s|^$/.test(text[to + 1] ?? ""))) {
    if (text[to] === "\n" && text[to + 1] === "\n") break;
    to++;
  }
  return oneLine(text.slice(from, to));
}

function byText(rules, context) {
  for (const [pattern, section] of rules) if (pattern.test(context)) return section;
  return undefined;
}

/**
 * Where a citation points: { file, section, kept } where `kept` is the part of
 * its label worth keeping in the comment (a topic or a remark), or undefined
 * when no rule applies.
 */
function classify(document, label, context) {
  const text = oneLine(label ?? "");
  const lower = text.toLowerCase();
  if (document === "DESIGN.md") {
    const section = byText(DESIGN_BY_TEXT, text) ?? byText(DESIGN_BY_TEXT, context);
    return section === undefined ? undefined : { file: ARCHITECTURE, section, kept: undefined };
  }
  const [head = "", ...rest] = lower.split(",").map((part) => part.trim());
  const tail = text.split(",").slice(1).join(",").trim();
  let section = FACTS_LABELS.get(lower);
  let kept;
  if (section === undefined && FACTS_LABELS.has(head) && rest.length > 0) {
    section = FACTS_LABELS.get(head);
    if (FACTS_TOPICS.has(tail.toLowerCase())) kept = tail;
  }
  if (section === undefined && FACTS_TOPICS.has(lower)) {
    section = FACTS_TOPICS.get(lower);
    kept = text;
  }
  if (section === undefined && text !== "") kept = text;
  const first = byText(FACTS_BY_TEXT_FIRST, context);
  section = first ?? section ?? byText(FACTS_BY_TEXT_LAST, `${kept ?? ""} ${context}`);
  return section === undefined ? undefined : { file: FACTS, section, kept };
}

function citation(target) {
  return `${target.file}, "${target.section}"`;
}

/** Citations found in one comment's text, as edits of that text. */
function citationEdits(text, note) {
  const edits = [];
  const taken = (start, end) => edits.some((edit) => start < edit.end && edit.start < end);

  for (const match of text.matchAll(OWN_PARENTHESES)) {
    const [whole, document, separator, label = ""] = match;
    const start = match.index;
    const end = start + whole.length;
    const quoted = /^"([^"]*)"([\s\S]*)$/.exec(label);
    const name = quoted ? quoted[1] : label;
    const remark = quoted ? oneLine(quoted[2] ?? "") : "";
    const target = classify(document, name, sentenceAround(text, start, end));
    if (target === undefined) continue;
    // A quoted label or a "," label was the old document's heading: drop it.
    const keep = separator === ":" || !quoted ? target.kept : undefined;
    const before = keep === undefined ? "" : `${keep}; `;
    edits.push({ start, end, text: `(${before}${citation(target)}${remark})`, target });
  }

  for (const match of text.matchAll(CLOSING_PARENTHESES)) {
    const [whole, separator, document] = match;
    const start = match.index;
    const end = start + whole.length;
    if (taken(start, end)) continue;
    const target = classify(document, "", sentenceAround(text, start, end));
    if (target === undefined) continue;
    edits.push({ start, end, text: `${separator} ${citation(target)})`, target });
  }

  for (const match of text.matchAll(OPENING)) {
    const [whole, document, label] = match;
    const start = match.index;
    const end = start + whole.length;
    if (taken(start, end)) continue;
    const close = sentenceEnd(text, end);
    const target = classify(document, label, sentenceAround(text, end, close));
    if (target === undefined) continue;
    const first = text[end] ?? "";
    const sentence = oneLine(text.slice(end, close)).toLowerCase();
    const topic = target.kept?.toLowerCase();
    const lead =
      topic === undefined || sentence.includes(topic)
        ? first.toUpperCase()
        : `${target.kept}: ${first}`;
    edits.push({ start, end: end + first.length, text: lead, target });
    if (text[close - 1] === ")" && remarkOpens(text, close - 1) && !taken(close - 1, close)) {
      edits.push({ start: close - 1, end: close, text: `; ${citation(target)})`, target: null });
    } else {
      edits.push({ start: close, end: close, text: ` (${citation(target)})`, target: null });
    }
  }

  for (const edit of edits) if (edit.target !== null) note(edit.target);
  return edits.sort((a, b) => a.start - b.start);
}

/** Whether the ")" at `at` closes a remark in parentheses (not a call such as `ceil(x)`). */
function remarkOpens(text, at) {
  let depth = 0;
  for (let i = at; i >= 0; i--) {
    if (text[i] === ")") depth++;
    if (text[i] === "(") depth--;
    if (depth === 0) return i === 0 || /\s/.test(text[i - 1]);
  }
  return false;
}

/** Where the sentence starting at `from` ends: its full stop, or the end of its paragraph. */
function sentenceEnd(text, from) {
  let depth = 0;
  let code = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === "`") code = !code;
    if (code) continue;
    if (c === "(") depth++;
    if (c === ")") depth--;
    if (c === "\n" && text[i + 1] === "\n") return i;
    if (depth <= 0 && c === "." && (i + 1 === text.length || /\s/.test(text[i + 1]))) return i;
  }
  return text.length;
}

/** The comments of a file: runs of // lines, and /* ... *\/ blocks. */
function commentBlocks(lines) {
  const blocks = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const slashes = /^(\s*)\/\/ ?/.exec(line);
    if (slashes) {
      const indent = slashes[1];
      const block = { start: i, items: [], continuation: `${indent}// ` };
      while (i < lines.length) {
        const m = /^(\s*)(\/\/ ?)(.*)$/.exec(lines[i]);
        if (!m || m[1] !== indent) break;
        block.items.push({ prefix: m[1] + m[2], content: m[3], suffix: "" });
        i++;
      }
      blocks.push(block);
      continue;
    }
    const opening = /^(\s*)(\/\*\*?)(.*)$/.exec(line);
    if (opening) {
      const indent = opening[1];
      const block = { start: i, items: [], continuation: `${indent} * ` };
      let first = true;
      while (i < lines.length) {
        const text = lines[i];
        const closes = text.includes("*/");
        const m = first
          ? /^(\s*\/\*\*? ?)(.*?)((?:\s*\*\/)?)$/.exec(text)
          : /^(\s*\*(?!\/) ?|\s*)(.*?)((?:\s*\*\/)?)$/.exec(text);
        block.items.push({ prefix: m[1], content: m[2], suffix: m[3] });
        first = false;
        i++;
        if (closes) break;
      }
      blocks.push(block);
      continue;
    }
    i++;
  }
  return blocks;
}

function width(text) {
  return [...text].length;
}

/** The words of `content`, split at spaces that are not inside `code` or a citation. */
function words(content) {
  const kept = [];
  for (const m of content.matchAll(/`[^`]*`|docs\/(?:lambda-facts|architecture)\.md, "[^"]*"/g)) {
    kept.push([m.index, m.index + m[0].length]);
  }
  const result = [];
  let from = 0;
  for (let i = 0; i <= content.length; i++) {
    const breaks = i === content.length || content[i] === " ";
    if (!breaks || kept.some(([start, end]) => i > start && i < end)) continue;
    if (i > from) result.push(content.slice(from, i));
    from = i + 1;
  }
  return result;
}

/** Whether `item` carries on the paragraph of the line before it. */
function continues(item, block) {
  return (
    item !== undefined &&
    item.prefix === block.continuation &&
    item.suffix === "" &&
    item.content !== "" &&
    !/^\s|^[-*@|#>]|^\d+\.|^```/.test(item.content)
  );
}

/** Fills `text` into lines of at most `limit` columns, the first after `first`, the rest after `rest`. */
function fill(text, first, rest, limit) {
  const lines = [];
  let line = "";
  for (const word of words(text)) {
    const prefix = lines.length === 0 ? first : rest;
    if (line !== "" && width(`${prefix}${line} ${word}`) > limit) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines;
}

/**
 * Rewraps the paragraph of block.items[index], a line the rewrite changed,
 * from that line on, when the line is now too long or has room for the next
 * line's first word. Paragraphs of one line may grow to WIDTH; longer ones
 * keep the width they were wrapped to. Returns the index of the first line
 * after the ones it looked at.
 */
function refill(block, index) {
  const items = block.items;
  let item = items[index];
  if (/^\s*\/\*/.test(item.prefix) && item.suffix !== "" && item.content !== "") {
    if (width(item.prefix + item.content + item.suffix) <= WIDTH) return index + 1;
    // A one-line /** ... */ that no longer fits becomes a block.
    const indent = /^\s*/.exec(item.prefix)[0];
    const opening = { prefix: `${indent}${item.prefix.trim()}`, content: "", suffix: "" };
    const closing = { prefix: `${indent} */`, content: "", suffix: "" };
    item = { ...item, prefix: block.continuation, suffix: "", originalWidth: WIDTH };
    items.splice(index, 1, opening, item, closing);
    index += 1;
  }
  let last = index;
  while (continues(items[last + 1], block)) last++;
  let start = index;
  while (start > 0 && continues(items[start], block) && items[start - 1].content !== "") start--;
  const paragraph = items.slice(start, last + 1);
  const widest = Math.max(...paragraph.map((line) => line.originalWidth ?? WIDTH));
  const originalLines = paragraph.reduce((sum, line) => sum + (line.originalLines ?? 1), 0);
  const limit = originalLines > 1 ? Math.min(WIDTH, widest) : WIDTH;
  const next = items[index + 1];
  const room = limit - width(`${item.prefix}${item.content} `);
  const tooLong = width(item.prefix + item.content + item.suffix) > limit;
  const pulls = last > index && width(words(next.content)[0] ?? "") <= room;
  if (!tooLong && !pulls) return index + 1;
  const text = items
    .slice(index, last + 1)
    .map((line) => line.content)
    .join(" ");
  const lines = fill(text, item.prefix, block.continuation, limit);
  const suffix = items[last].suffix;
  const rebuilt = lines.map((content, i) => ({
    prefix: i === 0 ? item.prefix : block.continuation,
    content,
    suffix: i === lines.length - 1 ? suffix : "",
    changed: true,
    rewrapped: true,
    originalWidth: limit,
  }));
  items.splice(index, last - index + 1, ...rebuilt);
  return index + rebuilt.length;
}

/** Rewrites one file's text; returns the new text and what it did. */
export function repointText(source, note = () => {}) {
  const newline = source.includes("\r\n") ? "\r\n" : "\n";
  const lines = source.split(/\r?\n/);
  const blocks = commentBlocks(lines);
  let rewrapped = 0;
  // Last block first, so earlier line numbers stay valid while lines are added or removed.
  for (const block of blocks.reverse()) {
    const original = block.items.map((item) => item.content);
    const text = original.join("\n");
    if (!ANY.test(text)) continue;
    const edits = citationEdits(text, note);
    if (edits.length === 0) continue;
    let edited = text;
    const consumed = new Set();
    for (const edit of [...edits].reverse()) {
      for (let i = edit.start; i < edit.end; i++) if (text[i] === "\n") consumed.add(i);
      edited = edited.slice(0, edit.start) + edit.text + edited.slice(edit.end);
    }
    // Lines whose leading newline an edit consumed were joined to the line before.
    const starts = [0];
    let offset = 0;
    original.forEach((content, index) => {
      if (index > 0 && !consumed.has(offset - 1)) starts.push(index);
      offset += content.length + 1;
    });
    const items = edited.split("\n").map((content, i) => {
      const firstLine = starts[i];
      const lastLine = (starts[i + 1] ?? original.length) - 1;
      const merged = block.items.slice(firstLine, lastLine + 1);
      return {
        prefix: merged[0].prefix,
        content,
        suffix: merged.at(-1).suffix,
        changed: content !== original[firstLine] || lastLine !== firstLine,
        originalWidth: Math.max(...merged.map((m) => width(m.prefix + m.content + m.suffix))),
        originalLines: merged.length,
      };
    });
    const rebuilt = { items, continuation: block.continuation };
    for (let i = 0; i < items.length; ) i = items[i].changed ? refill(rebuilt, i) : i + 1;
    rewrapped += items.filter((item) => item.rewrapped).length;
    lines.splice(
      block.start,
      block.items.length,
      ...rebuilt.items.map((item) => {
        const line = `${item.prefix}${item.content}${item.suffix}`;
        return item.changed ? line.trimEnd() : line;
      }),
    );
  }
  return { text: lines.join(newline), rewrapped };
}

function sourceFiles(directory) {
  const found = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) found.push(...sourceFiles(path));
    } else if (SOURCE_FILE.test(entry.name)) {
      found.push(path);
    }
  }
  return found;
}

function exists(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function main(argv) {
  const dryRun = argv.includes("--dry-run");
  const verbose = argv.includes("--verbose");
  const root = resolve(argv.find((arg) => !arg.startsWith("--")) ?? ".");
  const self = resolve(fileURLToPath(import.meta.url));
  const bySection = new Map();
  const unmapped = [];
  let rewritten = 0;
  let filesChanged = 0;
  let rewrapped = 0;

  for (const directory of DIRECTORIES.map((name) => join(root, name)).filter(exists)) {
    for (const path of sourceFiles(directory).sort()) {
      if (resolve(path) === self) continue;
      const source = readFileSync(path, "utf8");
      if (!ANY.test(source)) continue;
      const name = relative(root, path);
      const result = repointText(source, (target) => {
        const key = citation(target);
        bySection.set(key, (bySection.get(key) ?? 0) + 1);
        rewritten++;
        if (verbose) console.log(`${name}: -> ${key}`);
      });
      result.text.split(/\r?\n/).forEach((line, index) => {
        if (ANY.test(line)) unmapped.push(`${name}:${index + 1}: ${line.trim()}`);
      });
      rewrapped += result.rewrapped;
      if (result.text !== source) {
        filesChanged++;
        if (!dryRun) writeFileSync(path, result.text);
      }
    }
  }

  const verb = dryRun ? "would rewrite" : "rewrote";
  console.log(
    `${verb} ${rewritten} citations in ${filesChanged} files (${rewrapped} lines rewrapped to ${WIDTH} columns)`,
  );
  for (const [key, count] of [...bySection].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${String(count).padStart(3)}  ${key}`);
  }
  if (unmapped.length > 0) {
    console.log(`could not map ${unmapped.length}; edit these by hand:`);
    for (const line of unmapped) console.log(`  ${line}`);
    return 1;
  }
  console.log("could not map: none");
  return 0;
}

if (resolve(process.argv[1] ?? "") === resolve(fileURLToPath(import.meta.url))) {
  process.exitCode = main(process.argv.slice(2));
}
