import type { ReportRecord } from "../logs/record.js";

/** The outcome of one invocation. Expected failures are statuses on the record, not exceptions. */
export interface Invocation {
  record: ReportRecord;
  /** The function's response payload (text), when the target has one. */
  response?: string;
  /** `X-Amz-Function-Error` (`Unhandled`, `Handled`) when the handler failed. */
  functionError?: string;
  /** The last 4 KB of the log, as `LogType: Tail` returns it. */
  logTail?: string;
}
