// Runs every bench/*.bench.ts (or the ones named on the command line) in turn;
// the live one (tens of minutes on the emulator) only when named: `npm run bench -- live`.
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((name) => name.endsWith(".bench.ts"))
  .filter((name) =>
    wanted.length === 0 ? !name.startsWith("live.") : wanted.some((w) => name.startsWith(w)),
  )
  .sort();

for (const file of files) {
  console.log(`\n=== ${file.replace(/\.bench\.ts$/, "")} ===`);
  const started = performance.now();
  const bench = (await import(new URL(file, import.meta.url).href)) as { run: () => Promise<void> };
  await bench.run();
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
