import { awsTarget } from "./aws/definition.js";
import { localTarget } from "./local/definition.js";
import { replayTarget } from "./replay/definition.js";
import type { TargetDefinition } from "./target.js";

/**
 * Every target, in the order `<function>` is offered to them when --target is
 * not given (the last claims whatever is left). Adding a target is a folder
 * with its definition and a line here (and its name in the result schema).
 */
export const targets: readonly TargetDefinition[] = [replayTarget, localTarget, awsTarget];

export function targetNamed(kind: string): TargetDefinition | undefined {
  return targets.find((target) => target.kind === kind);
}
