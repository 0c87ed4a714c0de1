// Started by cleanup.test.ts: warms one sandbox, prints its pid, then idles until signalled.
import { installCleanupHandlers, liveProcessGroups } from "../../src/emulator/cleanup.js";
import { fixturePool } from "./fixture-pool.js";

installCleanupHandlers();
const { pool } = fixturePool("noop");
await pool.invoke("{}");
process.stdout.write(`${JSON.stringify(liveProcessGroups())}\n`);
setInterval(() => {}, 1000);
