import { createRequire } from "node:module";

const pkg = createRequire(import.meta.url)("../../package.json") as {
  version: string;
  bugs?: { url?: string };
};

export const VERSION: string = pkg.version;
/** Where to report a bug (package.json `bugs`). */
export const BUGS_URL: string | undefined = pkg.bugs?.url;
