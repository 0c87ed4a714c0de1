import type { FunctionConfiguration } from "@aws-sdk/client-lambda";
import { type AwsClients, type AwsConnectionOptions, createAwsClients } from "../../aws/clients.js";
import { userFacing } from "../../aws/errors.js";
import { getConfiguration } from "./configure.js";
import type { FunctionRef } from "./function-ref.js";
import { journalExists, journalPath, readJournal } from "./journal.js";

/** The clients and the function's configuration as found before the run. */
export interface Connection {
  clients: AwsClients;
  configuration: FunctionConfiguration & { FunctionArn: string };
}

/**
 * Connects to the function: builds the clients, reads its configuration and
 * refuses it when a previous run's journal says it may have been left changed.
 */
export async function connectToFunction(
  options: AwsConnectionOptions & { stateDir: string },
  ref: FunctionRef,
  signal: AbortSignal,
): Promise<Connection> {
  const clients = await createAwsClients(options);
  try {
    const configuration = await userFacing(
      {
        action: "lambda:GetFunctionConfiguration",
        functionName: ref.name,
        endpoint: clients.endpoint,
        changed: false,
      },
      () => getConfiguration(clients.lambda, ref.functionName, signal),
    );
    const arn = configuration.FunctionArn;
    if (arn === undefined) throw new Error("GetFunctionConfiguration returned no FunctionArn");
    const previous = await readJournal(options.stateDir, arn);
    if (previous !== undefined) throw journalExists(previous, journalPath(options.stateDir, arn));
    return { clients, configuration: { ...configuration, FunctionArn: arn } };
  } catch (error) {
    clients.destroy();
    throw error;
  }
}
