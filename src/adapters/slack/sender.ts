// Every message the bot sends to Slack goes through here, so rate limits are handled in one place:
// posts, edits and uploads wait in an outbound lane per channel (outbound-queue.ts), posts paced at
// Slack's one per second per channel, a 429 pausing the channel for its Retry-After and the message
// sent again first; an edit still waiting is replaced by a newer edit of the same message; an edit
// that met a 5xx or a timeout goes again (a new message never does: it may have been posted). The
// WebClient must not retry on its own (retryConfig { retries: 0 }, rejectRateLimitedCalls: true, as
// slack-app.ts builds it): two retry loops would multiply into a storm. Failures leave as
// DeliveryRefusedError (not posted) or DeliveryUncertainError (may be).
// A message with an attachment gets its file uploaded beside it once it is posted; a refused upload
// never takes the answer back: a line saying why follows it. A `table` block Slack refuses
// (invalid_blocks) is sent again as aligned text, so a table never costs the answer either. Charts
// (chart-upload.ts) follow the same rule: native blocks Slack refuses are dropped and their PNGs
// uploaded after the message, like every picture; a picture that fails costs only itself.
import { WebAPIPlatformError, type WebClient } from "@slack/web-api";
import type { Block, KnownBlock, MessageMetadata } from "@slack/types";
import type { Attachment, Chart } from "../../bot/message.ts";
import type { Logger } from "../../log/logger.ts";
import { failedOutcome, type DeliveryObserver, type DeliveryOutcome } from "../delivery-observer.ts";
import { OutboundQueue, type Clock, type Judgement, type Pacing } from "../outbound-queue.ts";
import { sharedLogger } from "../../log/pino-logger.ts";
import { DeliveryRefusedError, DeliveryUncertainError } from "../../schedules/delivery-errors.ts";
import { retry, type RetryPolicy, type RetryVerdict } from "../../retry/retry.ts";
import { notAttached, notAttachedToReply, uploadCsv, type UploadPlace } from "./csv-upload.ts";
import { SlackCharts, uploadChartPng, type NativeCharts } from "./chart-upload.ts";
import { byStatus, slackDeliveryError } from "./delivery-error.ts";
import { SLACK_LIMITS } from "./render-blockkit.ts";
import { tableAsPreformatted } from "./table-block.ts";

/**
 * Only a 429 is retried, after its Retry-After: Slack did not take the message, so a retry can't
 * double-post. Anything else may have posted it (or will fail the same way again).
 */
export const SLACK_POST_RETRY: RetryPolicy = { maxAttempts: 3, budgetMs: 10_000, baseDelayMs: 1_000, maxDelayMs: 10_000 };

/** chat.postMessage takes about one message per second per channel, with short bursts (edits and uploads are limited per workspace, not paced here). */
export const SLACK_PACING: Pacing = { intervalMs: 1_000, burst: 3 };

/** Messages a channel's lane holds besides the one being sent: a crowd asking at once fits, a runaway loop does not. */
export const SLACK_MAX_WAITING = 100;

/** How the outbound lanes run; tests shorten the pace and move the clock. */
export interface SlackLanes {
  readonly pacing?: Pacing;
  readonly maxWaiting?: number;
  readonly clock?: Clock;
}

export interface OutgoingMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
  /** Event metadata (scheduled reports carry their slot, so a takeover can find them in the channel). */
  readonly metadata?: MessageMetadata;
  /** A file uploaded beside the message once it is posted (a raw kql result in full). */
  readonly attachment?: Attachment;
  /** Pictures of the message: PNGs uploaded beside it once it is posted, or native blocks at `chartsAt` (slack.charts). */
  readonly charts?: readonly Chart[];
  readonly chartsAt?: number;
}

/** A message as conversations.history returns it, with the fields the bot reads. */
export interface HistoryMessage {
  readonly ts: string;
  readonly metadata?: { readonly event_type?: string; readonly event_payload?: Record<string, unknown> };
}

/** How far back a history scan reads before it gives up (then it cannot tell). */
export const HISTORY_SCAN = { pageSize: 200, maxPages: 5 } as const;

const NONE_SHOWN: ReadonlySet<number> = new Set();

/** One way of sending a message's blocks, and what Slack refusing it (invalid_blocks) leads to next. */
interface BlocksStage {
  readonly blocks: (KnownBlock | Block)[];
  readonly shown: ReadonlySet<number>;
  /** Logged when Slack refuses this stage and the next one is tried. */
  readonly refused: string;
}

export class SlackSender {
  private readonly client: WebClient;
  private readonly retry: RetryPolicy;
  private readonly logger: Logger;
  private readonly charts: SlackCharts;
  private readonly observe: DeliveryObserver;
  private readonly lanes: OutboundQueue;

  constructor(client: WebClient, retry: RetryPolicy = SLACK_POST_RETRY, logger: Logger = sharedLogger(), charts?: SlackCharts, observe: DeliveryObserver = () => undefined, lanes: SlackLanes = {}) {
    this.client = client;
    this.retry = retry;
    this.logger = logger;
    this.charts = charts ?? new SlackCharts({}, logger);
    this.observe = observe;
    this.lanes = new OutboundQueue({
      platform: "slack",
      laneName: "channel",
      pacing: lanes.pacing ?? SLACK_PACING,
      retry,
      maxWaiting: lanes.maxWaiting ?? SLACK_MAX_WAITING,
      judge: judgeSlack,
      logger,
      observe,
      ...(lanes.clock ? { clock: lanes.clock } : {}),
    });
  }

  /** Posts the message; its attachment and chart pictures, if any, follow in the same place (the same thread when given). */
  post(channel: string, message: OutgoingMessage, threadTs?: string): Promise<{ channel: string; ts: string }> {
    return this.lanes.during(
      (async () => {
        const send = this.withFallbacks(message.blocks, this.charts.native(message), (blocks) => this.client.chat.postMessage({ channel, text: message.text, blocks, ...(threadTs === undefined ? {} : { thread_ts: threadTs }), ...(message.metadata ? { metadata: message.metadata } : {}), unfurl_links: false }));
        const sent = await this.lanes.send(channel, { what: "message", send });
        const posted = { channel: sent.value.channel ?? channel, ts: sent.value.ts ?? "" };
        const place = { channel: posted.channel, ...(threadTs === undefined ? {} : { threadTs }) };
        if (message.attachment) await this.attach(place, message.attachment);
        await this.picturesBeside(place, message.charts, sent.shown);
        return posted;
      })(),
    );
  }

  /**
   * Edits a posted message; an attachment and chart pictures are uploaded beside it, in `threadTs` when the message is a thread reply.
   * An edit still waiting in the channel's lane when a newer edit of the same message comes is never sent (nor its files).
   */
  update(channel: string, ts: string, message: OutgoingMessage, threadTs?: string): Promise<void> {
    return this.lanes.during(
      (async () => {
        const send = this.withFallbacks(message.blocks, this.charts.native(message), (blocks) => this.client.chat.update({ channel, ts, text: message.text, blocks }));
        const sent = await this.lanes.latest(channel, `update ${ts}`, { what: "edit", paced: false, idempotent: true, send });
        if (!sent.sent) return;
        const place = { channel, ...(threadTs === undefined ? {} : { threadTs }) };
        if (message.attachment) await this.attach(place, message.attachment);
        await this.picturesBeside(place, message.charts, sent.value.shown);
      })(),
    );
  }

  /** Resolves once nothing is waiting to be sent (the drain awaits it before the process closes). */
  idle(): Promise<void> {
    return this.lanes.idle();
  }

  /** The drain ran out: what still waits is given up, each logged at error with its channel and `reason`, counted dropped. */
  abandon(reason: string): number {
    return this.lanes.abandon(reason);
  }

  /**
   * The channel's top-level messages since `oldest`, newest first, with their metadata; `complete`
   * is false when there were more than one scan reads.
   */
  async history(channel: string, oldest: Date): Promise<{ messages: HistoryMessage[]; complete: boolean }> {
    const messages: HistoryMessage[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < HISTORY_SCAN.maxPages; page++) {
      // a read, not a delivery: it does not wait behind the channel's messages
      const res = await retry(() => this.call(() => this.client.conversations.history({ channel, oldest: (oldest.getTime() / 1000).toFixed(6), limit: HISTORY_SCAN.pageSize, include_all_metadata: true, ...(cursor ? { cursor } : {}) }), false), { policy: this.retry, decide: rateLimitedAgain });
      for (const m of res.messages ?? []) if (m.ts) messages.push({ ts: m.ts, ...(m.metadata ? { metadata: m.metadata } : {}) });
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!res.has_more || !cursor) return { messages, complete: true };
    }
    return { messages, complete: false };
  }

  /**
   * Replies through a slash command's or button's response_url (the only way to change an ephemeral message).
   * Not through the channel's lane: a response_url has limits of its own (a few uses in half an hour), and the asker waits.
   */
  async respond(responseUrl: string, message: OutgoingMessage & { response_type?: "ephemeral" | "in_channel"; replace_original?: boolean }): Promise<void> {
    // a response_url takes no file, and a file in the channel would show everyone what only the asker sees
    // (so no chart picture either: native chart blocks only, and the sparkline when Slack refuses them)
    const { attachment, charts, chartsAt, ...reply } = message;
    const body = attachment ? { ...reply, blocks: [...reply.blocks.slice(0, SLACK_LIMITS.blocks - 1), { type: "context", elements: [{ type: "mrkdwn", text: notAttachedToReply(attachment) }] } satisfies KnownBlock] } : reply;
    const native = this.charts.native({ blocks: body.blocks, ...(charts ? { charts } : {}), ...(chartsAt === undefined ? {} : { chartsAt }) });
    const send = this.withFallbacks(body.blocks, native, async (blocks) => {
      const res = await fetch(responseUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...body, blocks }), signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw byStatus(res.status, `response_url answered HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`, undefined, retryAfterMs(res.headers.get("retry-after")));
    });
    await retry(send, { policy: this.retry, decide: rateLimitedAgain });
  }

  /** Uploads the file; when Slack won't take it, a line in the same place says why (the answer stays). Never throws. */
  private async attach(place: UploadPlace, attachment: Attachment): Promise<void> {
    try {
      await this.lanes.send(place.channel, { what: "file upload", paced: false, send: () => this.call(() => uploadCsv(this.client, place, attachment)) });
    } catch (err) {
      this.logger.warn({ channel: place.channel, file: attachment.filename, err }, "could not attach the result file");
      try {
        await this.lanes.send(place.channel, { what: "missing file note", send: () => this.call(() => this.client.chat.postMessage({ channel: place.channel, text: notAttached(attachment, err), ...(place.threadTs === undefined ? {} : { thread_ts: place.threadTs }), unfurl_links: false })) });
      } catch (again) {
        this.logger.error({ channel: place.channel, err: again }, "could not say that the result file is missing");
      }
    }
  }

  /** Uploads the PNGs of the charts not shown natively, after the message. Never throws: a picture that fails costs only itself. */
  private async picturesBeside(place: UploadPlace, charts: readonly Chart[] | undefined, shown: ReadonlySet<number>): Promise<void> {
    if (!charts || charts.length === 0) return;
    for (const { chart, index, png } of await this.charts.pictures(charts, shown)) {
      try {
        await this.lanes.send(place.channel, { what: "chart picture", paced: false, send: () => this.call(() => uploadChartPng(this.client, place, chart, index, png)) });
      } catch (err) {
        this.logger.warn({ channel: place.channel, chart: chart.title, err }, "could not upload the chart picture; the answer keeps its sparkline");
      }
    }
  }

  /**
   * One attempt at sending the blocks, falling back when Slack refuses them (invalid_blocks): native
   * chart blocks are rolled out in phases and unverified, so without them (no chart counts as shown);
   * then a `table` block as aligned text. A retried attempt (after a 429) resumes where the last one was.
   */
  private withFallbacks<T>(blocks: KnownBlock[], native: NativeCharts | undefined, send: (blocks: (KnownBlock | Block)[]) => Promise<T>): () => Promise<{ value: T; shown: ReadonlySet<number> }> {
    const stages: BlocksStage[] = [
      ...(native ? [{ blocks: [...blocks.slice(0, native.at), ...native.blocks, ...blocks.slice(native.at)], shown: native.shown, refused: "Slack refused the data_visualization block; sending the message without it, the chart as a picture" }] : []),
      { blocks, shown: NONE_SHOWN, refused: "Slack refused the table block; sending the table as text" },
      ...(blocks.some((b) => b.type === "table") ? [{ blocks: blocks.map((b) => (b.type === "table" ? tableAsPreformatted(b) : b)), shown: NONE_SHOWN, refused: "" }] : []),
    ];
    let at = 0;
    return async () => {
      for (;;) {
        const stage = stages[at];
        if (!stage) throw new Error("unreachable: past the last blocks stage");
        try {
          return { value: await this.call(() => send(stage.blocks)), shown: stage.shown };
        } catch (err) {
          if (at >= stages.length - 1 || !invalidBlocks(err)) throw err;
          this.logger.warn({ err }, stage.refused);
          at++;
        }
      }
    };
  }

  private delivered(outcome: DeliveryOutcome): void {
    this.observe({ platform: "slack", outcome });
    // failures are logged where they are handled; this line ties a send to its request id
    this.logger.debug({ outcome }, "slack send");
  }

  /** Every call to Slack goes through here: its failure typed, and each one that sends something (not a history read) told to the observer. */
  private async call<T>(send: () => Promise<T>, delivers = true): Promise<T> {
    try {
      const sent = await send();
      if (delivers) this.delivered("delivered");
      return sent;
    } catch (err) {
      const failure = slackDeliveryError(err);
      if (delivers) this.delivered(failedOutcome(failure));
      throw failure;
    }
  }
}

/**
 * A 429 means Slack did not take it: again after its Retry-After. Anything else may have been done,
 * so a new message is not sent twice; an edit is (it sets the message to the same text however often
 * it lands), else a 5xx on the edit that turns "working…" into the answer would leave "working…".
 */
function judgeSlack(err: unknown, item: { readonly idempotent: boolean }): Judgement {
  if (err instanceof DeliveryRefusedError && err.code === "rate_limited") return { retry: true, ...(err.retryAfterMs === undefined ? {} : { laneWaitMs: err.retryAfterMs }) };
  return { retry: item.idempotent && err instanceof DeliveryUncertainError && AGAIN_IF_IDEMPOTENT.has(err.code) };
}

/** Failures after which Slack may or may not have done it: harmless to repeat for an edit. */
const AGAIN_IF_IDEMPOTENT: ReadonlySet<string> = new Set(["server_error", "timeout", "connection_lost"]);

function rateLimitedAgain(err: unknown): RetryVerdict {
  const { retry: again, laneWaitMs } = judgeSlack(err, { idempotent: false });
  return again ? { retry: true, ...(laneWaitMs === undefined ? {} : { afterMs: laneWaitMs }) } : { retry: false };
}

/** Slack said the blocks are not valid (chat.* answers `invalid_blocks`; a response_url says it in its body). */
function invalidBlocks(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (e instanceof WebAPIPlatformError) return e.data.error === "invalid_blocks";
    if (/\binvalid_blocks\b/.test(e.message)) return true;
  }
  return false;
}

/** Retry-After in seconds (the only form Slack sends); 1 s when it is missing or unreadable. */
function retryAfterMs(header: string | null): number {
  const seconds = Number(header ?? "1");
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000;
}
