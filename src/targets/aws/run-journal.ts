import type { FunctionConfiguration } from "@aws-sdk/client-lambda";
import { getConfiguration, type UpdateWaitOptions, waitForUpdate } from "./configure.js";
import type { Connection } from "./connection.js";
import { otherSettingsOf } from "./function-state.js";
import { createJournal, deleteJournal, type Journal, updateJournal } from "./journal.js";

export interface RunJournalOptions {
  stateDir: string;
  /** How the run reaches the function, kept for `restore` (--endpoint-url, --profile). */
  endpointUrl?: string;
  profile?: string;
  /** The function's name as the user gave it, when its configuration lacks one. */
  functionName: string;
  runId: string;
  pid: number;
  now: () => Date;
  /** --timeout: what the run sets at every size; otherwise the function's own. */
  timeoutSeconds?: number;
  wait: UpdateWaitOptions;
}

/**
 * This run's journal of a function: written before the first change, updated
 * after each one, so that any ending, a hard kill included, can put the
 * function back (`lambda-tune restore`).
 */
export class RunJournal {
  private journal: Journal | undefined;

  constructor(
    private readonly options: RunJournalOptions,
    private readonly connect: () => Promise<Connection>,
  ) {}

  /** The journal while the run may have changed the function; undefined before and after. */
  get current(): Journal | undefined {
    return this.journal;
  }

  /** Whether this run has set anything on the function or published a version. */
  get changed(): boolean {
    return (
      this.journal !== undefined &&
      (this.journal.lastSet !== undefined || this.journal.publishedVersions.length > 0)
    );
  }

  /** The journal, written first if this is the run's first change. */
  async ensure(): Promise<Journal> {
    if (this.journal !== undefined) return this.journal;
    const { clients, configuration } = await this.connect();
    let original: FunctionConfiguration = configuration;
    if (original.LastUpdateStatus === "InProgress") {
      // Someone's update is still being applied; what it ends as is what to restore.
      original = await waitForUpdate(clients.lambda, configuration.FunctionArn, this.options.wait);
    }
    const created: Journal = {
      schema: 1,
      functionArn: configuration.FunctionArn,
      functionName: configuration.FunctionName ?? this.options.functionName,
      region: clients.region,
      ...(this.options.endpointUrl !== undefined && { endpointUrl: this.options.endpointUrl }),
      ...(this.options.profile !== undefined && { profile: this.options.profile }),
      runId: this.options.runId,
      pid: this.options.pid,
      startedAt: this.options.now().toISOString(),
      original: {
        memorySize: original.MemorySize ?? 128,
        timeout: original.Timeout ?? 3,
        description: original.Description ?? "",
        revisionId: original.RevisionId,
      },
      others: otherSettingsOf(original),
      timeoutSet: this.options.timeoutSeconds ?? original.Timeout ?? 3,
      publishedVersions: [],
    };
    await createJournal(this.options.stateDir, created);
    this.journal = created;
    return created;
  }

  /** Records what the run has just set on $LATEST. */
  async recordSet(journal: Journal, lastSet: NonNullable<Journal["lastSet"]>): Promise<void> {
    journal.lastSet = lastSet;
    await updateJournal(this.options.stateDir, journal);
  }

  /** Records a version the run has just published. */
  async recordPublished(journal: Journal, version: string): Promise<void> {
    journal.publishedVersions.push(version);
    await updateJournal(this.options.stateDir, journal);
  }

  /**
   * After a first update was refused before anything changed: nothing to
   * restore, so no journal to leave behind.
   */
  async forgetIfUnchanged(): Promise<void> {
    const journal = this.journal;
    if (journal === undefined || this.changed) return;
    const { clients, configuration } = await this.connect();
    const now = await getConfiguration(clients.lambda, configuration.FunctionArn).catch(
      () => undefined,
    );
    const untouched =
      now !== undefined &&
      now.MemorySize === journal.original.memorySize &&
      now.Description === journal.original.description &&
      now.Timeout === journal.original.timeout;
    if (untouched) {
      await deleteJournal(this.options.stateDir, journal.functionArn);
      this.journal = undefined;
    }
  }

  /** The journal is gone: the function was restored (or the recommendation applied). */
  finished(): void {
    this.journal = undefined;
  }
}
