// Every reply to the Bot Connector goes through here. A 429 means the message was not taken, so it is
// retried after Retry-After; a 408/5xx on a *create* may have been delivered and is not replayed blindly,
// while an update (idempotent) is retried with backoff. Failures leave as DeliveryRefusedError (not
// delivered) or DeliveryUncertainError (may have been).
import { HttpError, type CloudAdapter, type TurnContext } from "@microsoft/agents-hosting";
import type { ConversationReference } from "@microsoft/agents-activity";
import { DeliveryError, DeliveryRefusedError, DeliveryUncertainError, uncertainStatus } from "../../schedules/delivery-errors.ts";
import { retry, type RetryPolicy } from "../../retry/retry.ts";

/** 429 always (after Retry-After, else backoff); 408/5xx only for updates; a failed create is never replayed. */
export const TEAMS_SEND_RETRY: RetryPolicy = { maxAttempts: 3, budgetMs: 10_000, baseDelayMs: 500, maxDelayMs: 5_000 };

export function sendWithRetry<T>(op: () => Promise<T>, idempotent: boolean, policy: RetryPolicy = TEAMS_SEND_RETRY): Promise<T> {
  return retry(
    async () => {
      try {
        return await op();
      } catch (err) {
        throw teamsDeliveryError(err);
      }
    },
    {
      policy,
      decide: (err) => {
        if (err instanceof DeliveryRefusedError && err.code === "rate_limited") return { retry: true, ...(err.retryAfterMs === undefined ? {} : { afterMs: err.retryAfterMs }) };
        const again = idempotent && err instanceof DeliveryUncertainError && (err.code === "timeout" || err.code === "server_error");
        return again ? { retry: true } : { retry: false };
      },
    },
  );
}

/**
 * Runs `send` in a proactive turn of the conversation and returns what it returned. The adapter's
 * onTurnError would swallow a failure inside the turn; here it reaches the caller, typed.
 */
export async function sendProactive<T>(adapter: CloudAdapter, identity: string | { name: string }, reference: ConversationReference, send: (ctx: TurnContext) => Promise<T>): Promise<T> {
  const turn: { result?: { value: T }; failure?: unknown } = {};
  await adapter.continueConversation(identity, reference, async (ctx) => {
    try {
      turn.result = { value: await send(ctx) };
    } catch (err) {
      turn.failure = err;
    }
  });
  if (turn.result) return turn.result.value;
  // no result and no failure: the turn failed before `send` ran (e.g. no outbound token)
  throw teamsDeliveryError(turn.failure ?? new Error("the proactive turn ended before anything was sent"));
}

/** The Bot Connector's HTTP answers (and socket failures) as delivery errors. */
export function teamsDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const platform = "teams";
  if (err instanceof HttpError) {
    const status = err.status;
    const message = `the Bot Connector answered HTTP ${status}`;
    if (status === 429) return new DeliveryRefusedError("rate_limited", message, { platform, status, ...retryAfter(err), cause: err });
    const doubt = uncertainStatus(status);
    // 4xx: the connector refused it (unknown conversation, bot removed, bad activity)
    return doubt ? new DeliveryUncertainError(doubt, message, { platform, status, cause: err }) : new DeliveryRefusedError("platform_refused", message, { platform, status, cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof Error && err.name === "TimeoutError") return new DeliveryUncertainError("timeout", `the Bot Connector did not answer in time: ${message}`, { platform, cause: err });
  return new DeliveryUncertainError("unknown", `sending to Teams failed: ${message}`, { platform, cause: err });
}

function retryAfter(err: HttpError): { retryAfterMs?: number } {
  const header = err.response.headers.get("retry-after");
  const seconds = header === null ? Number.NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? { retryAfterMs: seconds * 1000 } : {};
}
