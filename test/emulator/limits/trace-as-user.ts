/** Run as another user by cfs-mechanism.test.ts: traces a spinning child in a 128 MB group of the backend auto-selection picks. */
import { traceInGroup } from "./busy-child.js";
import { selectForThisProcess } from "./select.js";

const backend = await selectForThisProcess("auto");
try {
  const group = await backend.createGroup("trace", {
    memoryMb: 128,
    cpuCores: 128 / 1769,
    periodMs: 20,
    tickMs: 4,
  });
  const trace = await traceInGroup(group, 150, 400, 4);
  process.stdout.write(JSON.stringify({ kind: backend.kind, trace }));
} finally {
  await backend.dispose();
}
