// Recording what already happened must not fail just because the store hiccups: the write is tried
// again with a growing, capped delay for a bounded time. Only records are retried this way, never posts.

export interface RecordRetry {
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /** Give up after this long (a takeover then checks the channel before posting anything again). */
  readonly forMs: number;
}

export const DEFAULT_RECORD_RETRY: Omit<RecordRetry, "forMs"> = { firstDelayMs: 200, maxDelayMs: 15_000 };

/** Runs `op` until it resolves or the time is up; true when it succeeded. Each failure is logged. */
export async function keepTrying(what: string, op: () => Promise<unknown>, policy: RecordRetry, log: (m: string) => void): Promise<boolean> {
  const until = Date.now() + policy.forMs;
  let delay = policy.firstDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await op();
      if (attempt > 1) log(`${what}: recorded on attempt ${attempt}`);
      return true;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (Date.now() + delay > until) {
        log(`${what}: still failing after ${attempt} attempts (${message}); giving up, nothing is posted again without checking first`);
        return false;
      }
      log(`${what}: failed (${message}); trying again in ${delay} ms`);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}
