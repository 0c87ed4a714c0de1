export type { FunctionDefinition } from "./emulated-function.js";
export { FaultInjector, type FaultKind, type FaultPlan, type FaultSpec } from "./faults.js";
export { type LambdaApi, type LambdaApiOptions, startLambdaApi } from "./lambda-api.js";
