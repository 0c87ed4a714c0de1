import { isAscii } from "node:buffer";

/**
 * Byte helpers of the REPORT fast paths (scan-text.ts, scan-json.ts). JS
 * reads a Buffer at about a nanosecond a byte, so names are compared four
 * bytes at a time through a DataView, and strings decoded without `toString`'s checks.
 */

/** A byte string to match, as little-endian 32-bit words plus its bytes. */
export interface Pattern {
  length: number;
  words: Int32Array;
  bytes: Uint8Array;
}

export function pattern(text: string): Pattern {
  const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
  const words = new Int32Array(bytes.length >> 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < words.length; i++) words[i] = view.getInt32(i * 4, true);
  return { length: bytes.length, words, bytes };
}

/** The buffer last read through `view`: each chunk gets its view once. */
let viewed: Buffer | undefined;
let view: DataView = new DataView(new ArrayBuffer(0));

/** Whether the bytes at `p` are `name`, all of it before `end`. */
export function matchAt(b: Buffer, p: number, end: number, name: Pattern): boolean {
  const length = name.length;
  if (p + length > end) return false;
  if (b !== viewed) {
    viewed = b;
    view = new DataView(b.buffer, b.byteOffset, b.length);
  }
  const words = name.words;
  let q = p;
  for (let i = 0; i < words.length; i++, q += 4) {
    if (view.getInt32(q, true) !== words[i]) return false;
  }
  const bytes = name.bytes;
  for (let i = words.length * 4; i < length; i++) {
    if (b[p + i] !== bytes[i]) return false;
  }
  return true;
}

type Slice = (this: Buffer, start: number, end: number) => string;
/** Buffer's own latin1 decoder, without the argument checks of `toString` (a third of its cost). */
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice?: Slice }).latin1Slice;

/** The ASCII bytes [from, to) as a string. */
export function latin1(b: Buffer, from: number, to: number): string {
  return latin1Slice === undefined ? b.toString("latin1", from, to) : latin1Slice.call(b, from, to);
}

// Newline bytes never occur inside a multi-byte UTF-8 sequence, so text up to
// a newline decodes on its own; ASCII decodes as latin1, ~3x faster than utf8.
export function decodeText(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
}
