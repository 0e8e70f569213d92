// Every message the bot sends to Slack goes through here, so rate limits are handled in one place:
// a 429 is retried after its Retry-After while that fits the budget, and never hangs a request for
// minutes. Failures leave as DeliveryRefusedError (not posted) or DeliveryUncertainError (may be).
import type { WebClient } from "@slack/web-api";
import type { KnownBlock, MessageMetadata } from "@slack/types";
import { DeliveryRefusedError } from "../../schedules/delivery-errors.ts";
import { retry, type RetryPolicy } from "../../retry/retry.ts";
import { byStatus, slackDeliveryError } from "./delivery-error.ts";

/**
 * Only a 429 is retried, after its Retry-After: Slack did not take the message, so a retry can't
 * double-post. Anything else may have posted it (or will fail the same way again).
 */
export const SLACK_POST_RETRY: RetryPolicy = { maxAttempts: 3, budgetMs: 10_000, baseDelayMs: 1_000, maxDelayMs: 10_000 };

export interface OutgoingMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
  /** Event metadata (scheduled reports carry their slot, so a takeover can find them in the channel). */
  readonly metadata?: MessageMetadata;
}

/** A message as conversations.history returns it, with the fields the bot reads. */
export interface HistoryMessage {
  readonly ts: string;
  readonly metadata?: { readonly event_type?: string; readonly event_payload?: Record<string, unknown> };
}

/** How far back a history scan reads before it gives up (then it cannot tell). */
export const HISTORY_SCAN = { pageSize: 200, maxPages: 5 } as const;

export class SlackSender {
  private readonly client: WebClient;
  private readonly retry: RetryPolicy;

  constructor(client: WebClient, retry: RetryPolicy = SLACK_POST_RETRY) {
    this.client = client;
    this.retry = retry;
  }

  async post(channel: string, message: OutgoingMessage, threadTs?: string): Promise<{ channel: string; ts: string }> {
    const res = await this.withRetry(() => this.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, ...(threadTs === undefined ? {} : { thread_ts: threadTs }), ...(message.metadata ? { metadata: message.metadata } : {}), unfurl_links: false }));
    return { channel: res.channel ?? channel, ts: res.ts ?? "" };
  }

  async update(channel: string, ts: string, message: OutgoingMessage): Promise<void> {
    await this.withRetry(() => this.client.chat.update({ channel, ts, text: message.text, blocks: message.blocks }));
  }

  /**
   * The channel's top-level messages since `oldest`, newest first, with their metadata; `complete`
   * is false when there were more than one scan reads.
   */
  async history(channel: string, oldest: Date): Promise<{ messages: HistoryMessage[]; complete: boolean }> {
    const messages: HistoryMessage[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < HISTORY_SCAN.maxPages; page++) {
      const res = await this.withRetry(() => this.client.conversations.history({ channel, oldest: (oldest.getTime() / 1000).toFixed(6), limit: HISTORY_SCAN.pageSize, include_all_metadata: true, ...(cursor ? { cursor } : {}) }));
      for (const m of res.messages ?? []) if (m.ts) messages.push({ ts: m.ts, ...(m.metadata ? { metadata: m.metadata } : {}) });
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!res.has_more || !cursor) return { messages, complete: true };
    }
    return { messages, complete: false };
  }

  /** Replies through a slash command's or button's response_url (the only way to change an ephemeral message). */
  async respond(responseUrl: string, message: OutgoingMessage & { response_type?: "ephemeral" | "in_channel"; replace_original?: boolean }): Promise<void> {
    await this.withRetry(async () => {
      const res = await fetch(responseUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(message), signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw byStatus(res.status, `response_url answered HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`, undefined, retryAfterMs(res.headers.get("retry-after")));
    });
  }

  private withRetry<T>(send: () => Promise<T>): Promise<T> {
    return retry(
      async () => {
        try {
          return await send();
        } catch (err) {
          throw slackDeliveryError(err);
        }
      },
      { policy: this.retry, decide: (err) => (err instanceof DeliveryRefusedError && err.code === "rate_limited" ? { retry: true, ...(err.retryAfterMs === undefined ? {} : { afterMs: err.retryAfterMs }) } : { retry: false }) },
    );
  }
}

/** Retry-After in seconds (the only form Slack sends); 1 s when it is missing or unreadable. */
function retryAfterMs(header: string | null): number {
  const seconds = Number(header ?? "1");
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000;
}
