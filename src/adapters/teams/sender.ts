// Every reply to the Bot Connector goes through here. A 429 means the message was not taken, so it is
// retried after Retry-After; a 408/5xx on a *create* may have been delivered and is not replayed blindly,
// while an update (idempotent) is retried with backoff.

export interface TeamsRetryPolicy {
  readonly maxAttempts: number;
  readonly budgetMs: number;
  readonly baseDelayMs: number;
}

export const TEAMS_SEND_RETRY: TeamsRetryPolicy = { maxAttempts: 3, budgetMs: 10_000, baseDelayMs: 500 };

export async function sendWithRetry<T>(op: () => Promise<T>, idempotent: boolean, policy: TeamsRetryPolicy = TEAMS_SEND_RETRY): Promise<T> {
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      const { status, retryAfterMs } = httpFailure(err);
      const retryable = status === 429 || (idempotent && (status === 408 || (status !== undefined && status >= 500)));
      const delay = retryAfterMs ?? policy.baseDelayMs * 2 ** (attempt - 1);
      if (!retryable || attempt >= policy.maxAttempts || waited + delay > policy.budgetMs) throw err;
      waited += delay;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

function httpFailure(err: unknown): { status: number | undefined; retryAfterMs: number | undefined } {
  if (typeof err !== "object" || err === null) return { status: undefined, retryAfterMs: undefined };
  const e = err as { status?: unknown; response?: { status?: unknown; headers?: { get?: (n: string) => string | null } } };
  const status = typeof e.status === "number" ? e.status : typeof e.response?.status === "number" ? e.response.status : undefined;
  const header = e.response?.headers?.get?.("retry-after") ?? null;
  const seconds = header === null ? Number.NaN : Number(header);
  return { status, retryAfterMs: Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined };
}
