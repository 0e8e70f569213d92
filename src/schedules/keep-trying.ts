// Recording what already happened must not fail just because the store hiccups: the write is tried
// again with a growing, capped delay for a bounded time (the shared retry loop, retry/retry.ts).
// Only records are retried this way, never posts.
import type { Logger } from "../log/logger.ts";
import { retry } from "../retry/retry.ts";

export interface RecordRetry {
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /** Give up after this long (a takeover then checks the channel before posting anything again). */
  readonly forMs: number;
}

/** Store hiccups are short; a record is worth minutes of trying (forMs is the run's lease). */
export const DEFAULT_RECORD_RETRY: Omit<RecordRetry, "forMs"> = { firstDelayMs: 200, maxDelayMs: 15_000 };

/** Runs `op` until it resolves or the time is up; true when it succeeded. Each failure is logged. */
export async function keepTrying(what: string, op: () => Promise<unknown>, policy: RecordRetry, logger: Logger): Promise<boolean> {
  let attempts = 0;
  try {
    await retry(
      (attempt) => {
        attempts = attempt;
        return op();
      },
      {
        policy: { maxAttempts: Number.POSITIVE_INFINITY, budgetMs: policy.forMs, baseDelayMs: policy.firstDelayMs, maxDelayMs: policy.maxDelayMs },
        decide: () => ({ retry: true }),
        onRetry: (err, attempt, delayMs) => {
          logger.warn({ what, attempt, delayMs, err }, "record failed; trying again");
        },
      },
    );
    if (attempts > 1) logger.info({ what, attempts }, "recorded after retrying");
    return true;
  } catch (err) {
    logger.error({ what, attempts, err }, "record still failing; giving up, nothing is posted again without checking first");
    return false;
  }
}
