export { isLocalHandlerSpec } from "./handler-spec.js";
export { createLocalTarget, isolationWarnings, type LocalTargetOptions } from "./local-target.js";
