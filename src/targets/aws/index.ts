export { type AwsClients, type AwsConnectionOptions, createAwsClients } from "../../aws/clients.js";
export { IAM_ACTIONS } from "../../aws/errors.js";
export {
  type ApplyOutcome,
  type ApplySettings,
  applyToAlias,
  applyToFunction,
} from "./apply.js";
export {
  type AwsSession,
  type AwsTarget,
  type AwsTargetOptions,
  createAwsTarget,
  isAwsTarget,
} from "./aws-target.js";
export { parseFunctionRef } from "./function-ref.js";
export { checkJournalDir, checkNoJournal, journalDir } from "./journal.js";
export { type RestoreOutcome, restoreFromJournal } from "./restore.js";
export {
  type AwsRunPlan,
  type AwsRunPlanInput,
  checkMaxCost,
  formatAwsRunPlan,
  planAwsRun,
} from "./run-plan.js";
