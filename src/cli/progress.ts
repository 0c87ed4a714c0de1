import type { Writable } from "node:stream";
import type { SweepEvent } from "../tune/sweep.js";

/** A one-line progress display on a terminal's stderr, cleared when the sweep ends. */
export function terminalProgress(stream: Writable): {
  onProgress: (event: SweepEvent) => void;
  done: () => void;
} {
  let shown = false;
  const show = (line: string) => {
    stream.write(`\r\x1b[2K${line}`);
    shown = true;
  };
  let sizeLabel = "";
  return {
    onProgress(event) {
      if (event.type === "size-start") {
        const of = event.total === undefined ? "" : ` of ${event.total}`;
        sizeLabel = `size ${event.index + 1}${of}: ${event.memoryMb} MB`;
        show(sizeLabel);
      } else if (event.type === "invocation") {
        show(`${sizeLabel}, invocation ${event.done}/${event.planned}`);
      }
    },
    done() {
      if (shown) stream.write("\r\x1b[2K");
    },
  };
}
