// The built modules (dist/), as a user runs them. A benchmark that starts
// sandboxes must load the local target from here: under tsx the Node.js
// runtime client would load through tsx's hooks too, which add ~400 ms to
// every Node.js Init and CPU time of their own (the emulator's 128/1,769 MB
// scaling read 15.3x from src, 14.7x from dist).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const DIST = fileURLToPath(new URL("../dist/", import.meta.url));

export async function built<T>(path: string): Promise<T> {
  const file = join(DIST, path);
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
  return (await import(pathToFileURL(file).href)) as T;
}
