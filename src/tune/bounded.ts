/**
 * Runs `count` tasks with at most `concurrency` in flight and returns their
 * results in task order. After the first failure, or once `signal` aborts, no
 * new task starts; the ones in flight are awaited, then the failure (or the
 * abort reason) is thrown, so the caller can clean up knowing nothing runs.
 */
export async function runBounded<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
  signal?: AbortSignal,
): Promise<T[]> {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number above 0, not ${concurrency}`);
  }
  const results = new Array<T>(count);
  let started = 0;
  let failure: { error: unknown } | undefined;

  async function worker(): Promise<void> {
    while (started < count && failure === undefined && !signal?.aborted) {
      const index = started++;
      try {
        results[index] = await task(index);
      } catch (error) {
        failure ??= { error };
      }
    }
  }

  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  if (failure !== undefined) throw failure.error;
  signal?.throwIfAborted();
  return results;
}
