// Every reply to the Bot Connector goes through here, in an outbound lane per conversation
// (outbound-queue.ts): paced under Teams' per-conversation limits, a 429 pausing the conversation
// for its Retry-After and the activity sent again first. A 408/5xx on a *create* may have been
// delivered and is not replayed blindly, while an update (idempotent) is retried with backoff, and
// an update still waiting is replaced by a newer update of the same activity. The Agents SDK's
// connector client does not retry on its own, so this is the only retry loop. Failures leave as
// DeliveryRefusedError (not delivered) or DeliveryUncertainError (may have been).
import { HttpError, type CloudAdapter, type TurnContext } from "@microsoft/agents-hosting";
import type { ConversationReference } from "@microsoft/agents-activity";
import type { Logger } from "../../log/logger.ts";
import { sharedLogger } from "../../log/pino-logger.ts";
import type { DeliveryObserver } from "../delivery-observer.ts";
import { OutboundQueue, type Clock, type Judgement, type Pacing, type Sent } from "../outbound-queue.ts";
import { DeliveryError, DeliveryRefusedError, DeliveryUncertainError, uncertainStatus } from "../../schedules/delivery-errors.ts";
import type { RetryPolicy } from "../../retry/retry.ts";

/** 429 always (after Retry-After, else backoff); 408/5xx only for updates; a failed create is never replayed. */
export const TEAMS_SEND_RETRY: RetryPolicy = { maxAttempts: 3, budgetMs: 10_000, baseDelayMs: 500, maxDelayMs: 5_000 };

/**
 * Teams takes about 7 operations a second, 8 per 2 s and 60 per 30 s from a bot in one conversation
 * (typing included): 5 at once, then one per 550 ms, stays under all three.
 */
export const TEAMS_PACING: Pacing = { intervalMs: 550, burst: 5 };

/** Activities a conversation's lane holds besides the one being sent. */
export const TEAMS_MAX_WAITING = 100;

/** How the outbound lanes run; tests shorten the pace and move the clock. */
export interface TeamsLanes {
  readonly pacing?: Pacing;
  readonly maxWaiting?: number;
  readonly retry?: RetryPolicy;
  readonly clock?: Clock;
}

export class TeamsSender {
  private readonly lanes: OutboundQueue;

  constructor(logger: Logger = sharedLogger(), observe?: DeliveryObserver, lanes: TeamsLanes = {}) {
    this.lanes = new OutboundQueue({
      platform: "teams",
      laneName: "conversation",
      pacing: lanes.pacing ?? TEAMS_PACING,
      retry: lanes.retry ?? TEAMS_SEND_RETRY,
      maxWaiting: lanes.maxWaiting ?? TEAMS_MAX_WAITING,
      judge: judgeTeams,
      logger,
      ...(observe ? { observe } : {}),
      ...(lanes.clock ? { clock: lanes.clock } : {}),
    });
  }

  /** A new activity in the conversation (a reply, a proactive post): never sent again after a failure that may have delivered it. */
  send<T>(conversation: string, what: string, op: () => Promise<T>): Promise<T> {
    return this.lanes.send(conversation, { what, send: () => typed(op) });
  }

  /** An edit of activity `id`: retried after a 5xx too (sending it twice does no harm); one still waiting when a newer edit of `id` comes is never sent. */
  update<T>(conversation: string, id: string, what: string, op: () => Promise<T>): Promise<Sent<T>> {
    return this.lanes.latest(conversation, `update ${id}`, { what, idempotent: true, send: () => typed(op) });
  }

  /** A typing indicator: paced with the rest (Teams counts it), never retried, its failure no lost message. */
  async typing(conversation: string, op: () => Promise<unknown>): Promise<void> {
    await this.lanes.send(conversation, { what: "typing", expendable: true, send: () => typed(op) });
  }

  /** Resolves once nothing is waiting to be sent (the drain awaits it before the process closes). */
  idle(): Promise<void> {
    return this.lanes.idle();
  }

  /** The drain ran out: what still waits is given up, each logged at error with its conversation and `reason`, counted dropped. */
  abandon(reason: string): number {
    return this.lanes.abandon(reason);
  }
}

async function typed<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw teamsDeliveryError(err);
  }
}

function judgeTeams(err: unknown, item: { readonly idempotent: boolean }): Judgement {
  if (err instanceof DeliveryRefusedError && err.code === "rate_limited") return { retry: true, ...(err.retryAfterMs === undefined ? {} : { laneWaitMs: err.retryAfterMs }) };
  return { retry: item.idempotent && err instanceof DeliveryUncertainError && (err.code === "timeout" || err.code === "server_error") };
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
