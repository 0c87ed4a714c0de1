/** Run as another user by detect.test.ts: prints the backend auto-selection picks for it. */
import { selectForThisProcess } from "./select.js";

const backend = await selectForThisProcess("auto");
process.stdout.write(
  JSON.stringify({ kind: backend.kind, fallbackReason: backend.fallbackReason }),
);
await backend.dispose();
