// The one retry loop: Azure Monitor queries, Slack and Teams sends and the schedule's record writes all go through it, each
// with its policy as data beside the code that uses it. It exists because the libraries at hand
// (p-retry 9, exponential-backoff 3.1) compute every wait from the attempt number alone: neither lets
// the failure set the next wait (a 429's Retry-After), and p-retry checks its time limit only after
// its callbacks, so a Retry-After longer than the budget would still be waited out.

export interface RetryPolicy {
  /** Attempts in all, the first included (Infinity: until the budget is spent). */
  readonly maxAttempts: number;
  /** How long a caller may be held from the first attempt on; a wait that would end past it is not started. */
  readonly budgetMs: number;
  /** The first wait when the failure does not say how long; doubled per attempt up to maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** What a failure means for the next attempt: give up, or try again (after `afterMs` when the other side said so). */
export type RetryVerdict = { readonly retry: false } | { readonly retry: true; readonly afterMs?: number };

export interface RetryOptions {
  readonly policy: RetryPolicy;
  readonly decide: (err: unknown, attempt: number) => RetryVerdict;
  /** Told before each wait (for logs). */
  readonly onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/** Runs `op` until it succeeds, `decide` says stop, attempts run out or the next wait would break the budget; then rethrows the last failure. */
export async function retry<T>(op: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy } = options;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await op(attempt);
    } catch (err) {
      const verdict = options.decide(err, attempt);
      if (!verdict.retry || attempt >= policy.maxAttempts) throw err;
      const delay = Math.max(0, verdict.afterMs ?? Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs));
      if (Date.now() - started + delay > policy.budgetMs) throw err;
      options.onRetry?.(err, attempt, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
