import { processIo } from "./io.js";
import { runCli } from "./program.js";

// The SDK warns on every run that its 2027 releases will need Node.js 22; this
// build pins a release that supports Node.js 20 (package.json engines), so the
// warning only adds noise to the tool's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

process.exitCode = await runCli(process.argv.slice(2), processIo());
