import { UsageError } from "../../errors.js";
import { textOption } from "../../flags.js";
import type { TargetDefinition } from "../target.js";

/** Recorded REPORT lines: offline what-if analysis and the planner's benchmark. */
export const replayTarget: TargetDefinition = {
  kind: "replay",
  names: "with --replay-file",
  options: [
    {
      flags: "--replay-file <file>",
      description: "recorded REPORT lines (text or JSON) to draw from",
    },
  ],
  claims: (_functionArg, options) => textOption(options, "replayFile") !== undefined,
  configure(options) {
    const replayFile = textOption(options, "replayFile");
    return async (request) => {
      if (replayFile === undefined) {
        throw new UsageError("--target replay needs a recording", {
          hint: "give --replay-file F, a Lambda log with REPORT lines (text or JSON format)",
        });
      }
      const { loadRecording } = await import("./load.js");
      const { createReplayTarget } = await import("./replay-target.js");
      const recording = await loadRecording(replayFile);
      return createReplayTarget({
        records: recording.records,
        name: request.functionArg,
        seed: request.seed,
        warnings: recording.warnings,
        ...(request.region !== undefined && { region: request.region }),
        ...(request.architecture === "arm64" || request.architecture === "x86_64"
          ? { architecture: request.architecture }
          : {}),
      });
    };
  },
};
