/**
 * The safety net: every live sandbox process group is registered here, and
 * killed synchronously when the process exits or is interrupted, so no
 * sandbox outlives the tool even if a dispose() path is skipped.
 */
const liveGroups = new Set<number>();
let installed = false;

/** Remembers a sandbox's process group (its leader's pid); returns the function that forgets it. */
export function registerProcessGroup(pid: number): () => void {
  liveGroups.add(pid);
  return () => {
    liveGroups.delete(pid);
  };
}

export function liveProcessGroups(): number[] {
  return [...liveGroups];
}

/** SIGKILLs every registered process group now. */
export function killAllSandboxes(): void {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {}
  }
  liveGroups.clear();
}

/**
 * Kills all sandboxes on `exit`, and on SIGINT/SIGTERM; for the signals, when
 * nothing else in the process listens for them, it also exits (130/143).
 * Idempotent.
 */
export function installCleanupHandlers(): void {
  if (installed) return;
  installed = true;
  process.on("exit", killAllSandboxes);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    const onSignal = () => {
      killAllSandboxes();
      if (process.listenerCount(signal) === 1) process.exit(signal === "SIGINT" ? 130 : 143);
    };
    process.on(signal, onSignal);
  }
}
