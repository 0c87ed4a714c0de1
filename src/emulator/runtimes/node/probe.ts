// Loads a handler once, without a Runtime API, and prints whether it loaded:
// the local target runs this before a sweep to reject a handler that cannot run.
import { loadHandler, toErrorBody } from "./load-handler.js";

const [taskRoot = process.cwd(), handler = ""] = process.argv.slice(2);
let result: object;
try {
  await loadHandler(taskRoot, handler);
  result = { ok: true };
} catch (error) {
  const body = toErrorBody(error);
  result = { ok: false, errorType: body.errorType, errorMessage: body.errorMessage };
}
process.stdout.write(`\n${JSON.stringify(result)}\n`, () => process.exit(0));
