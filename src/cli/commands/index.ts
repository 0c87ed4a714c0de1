import { registerAnalyze } from "./analyze.js";
import type { RegisterCommand } from "./command.js";
import { registerCompare } from "./compare.js";
import { registerEmulate } from "./emulate.js";
import { registerParse } from "./parse.js";
import { registerReport } from "./report.js";
import { registerRestore } from "./restore.js";
import { registerRun } from "./run.js";

/** Every command, in the order --help lists them; adding one is a module and a line here. */
export const commands: readonly RegisterCommand[] = [
  registerRun,
  registerCompare,
  registerReport,
  registerRestore,
  registerAnalyze,
  registerEmulate,
  registerParse,
];
