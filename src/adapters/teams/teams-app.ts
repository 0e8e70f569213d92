// Teams as a thin shell around the conversation, on the Microsoft 365 Agents SDK: messages in personal chats,
// @mentions in channels and group chats, Adaptive Card buttons (Action.Execute, or Action.Submit on
// older clients) that update the card in place, and a greeting when the bot is added.
import { randomUUID } from "node:crypto";
import { Activity, ActivityTypes, type ConversationReference } from "@microsoft/agents-activity";
import { CloudAdapter, MessageFactory, type Connections, type TurnContext } from "@microsoft/agents-hosting";
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from "express";
import type { Conversation } from "../../bot/conversation.ts";
import type { Message } from "../../bot/message.ts";
import { decodeFollowUp } from "../../bot/follow-up.ts";
import { staleButtonMessage } from "../../bot/stale-button.ts";
import { replyWithin } from "../../bot/reply-within.ts";
import type { Reply } from "../../bot/reply.ts";
import type { Place } from "../../bot/asker.ts";
import type { Logger } from "../../log/logger.ts";
import { sharedLogger } from "../../log/pino-logger.ts";
import { keys } from "../../store/keys.ts";
import type { Store } from "../../store/store.ts";
import { checkActivity } from "./activity-shape.ts";
import { loopbackOnly, requireBotToken, requireServiceUrlClaim } from "./inbound-auth.ts";
import { composeReply, workingMessage } from "../../bot/compose.ts";
import { renderText } from "../../bot/render-text.ts";
import { CARD_CONTENT_TYPE, FOLLOW_UP_VERB, renderAdaptiveCard } from "./render-adaptive-card.ts";
import { TeamsSender } from "./sender.ts";
import { countDeliveries } from "./delivery-count.ts";
import type { DeliveryObserver } from "../delivery-observer.ts";
import { TeamsCards } from "./card-activity.ts";
import type { ChartPictureOptions } from "../chart-png.ts";
import type { TeamsSettings } from "./settings.ts";

export const TEAMS_MESSAGES_PATH = "/api/messages";
/** Teams gives a bot about 15 s; answers slower than this post "working…" and are edited in later. */
export const DEFAULT_TEAMS_INLINE_WAIT_MS = 5_000;
const DEDUPE_TTL_MS = 60 * 60_000;
const GREETED_TTL_MS = 10 * 365 * 24 * 3_600_000;
const BODY_LIMIT = "256kb";

export interface TeamsAdapterOptions {
  readonly settings: TeamsSettings;
  readonly conversation: Conversation;
  readonly store: Store;
  readonly http: Express;
  readonly inlineWaitMs?: number;
  /** Where outbound Bot Connector tokens come from; the SDK's MSAL connections unless replaced (tests). */
  readonly outboundConnections?: Connections;
  readonly logger?: Logger;
  /** How chart pictures (the PNG fallback of chart elements) are rendered, and how long they may take. */
  readonly charts?: ChartPictureOptions;
  /** Told of each send to Teams (the bot process's metrics). */
  readonly observeDelivery?: DeliveryObserver;
}

export interface TeamsAdapter {
  readonly adapter: CloudAdapter;
  /** The one outbound path to Teams: a paced lane per conversation (scheduled reports use it too). */
  readonly sender: TeamsSender;
  /** Background work (answers finished after the turn) still running; tests and shutdown await it. */
  idle(): Promise<void>;
}

export function startTeams(options: TeamsAdapterOptions): TeamsAdapter {
  const log = (options.logger ?? sharedLogger()).child({ component: "teams" });
  const adapter = new CloudAdapter(options.settings.authConfig);
  if (options.outboundConnections) adapter.connectionManager = options.outboundConnections;
  if (options.observeDelivery) adapter.use(countDeliveries(options.observeDelivery, log));
  adapter.onTurnError = (_context, error) => {
    log.error({ err: error }, "teams turn failed");
    return Promise.resolve();
  };
  const sender = new TeamsSender(log, options.observeDelivery);
  const handler = new TeamsHandler(options.conversation, options.store, adapter, options.settings.appId ?? "", options.inlineWaitMs ?? DEFAULT_TEAMS_INLINE_WAIT_MS, log, new TeamsCards(options.charts, log), sender);

  const guards: RequestHandler[] = options.settings.appId === undefined ? [loopbackOnly()] : [requireBotToken(options.settings.authConfig)];
  const afterBody: RequestHandler[] = options.settings.appId === undefined ? [] : [requireServiceUrlClaim()];
  options.http.post(TEAMS_MESSAGES_PATH, ...guards, express.json({ limit: BODY_LIMIT }), ...afterBody, (req: Request, res: Response) => {
    const check = checkActivity(req.body);
    if (check.verdict === "reject") {
      res.status(400).json({ error: check.reason });
      return;
    }
    if (check.verdict === "ignore") {
      // a kind the bot does not act on (typing, reactions, …): acknowledged, not read
      res.status(200).end();
      return;
    }
    adapter.process(req as unknown as Parameters<CloudAdapter["process"]>[0], res, (context) => handler.onTurn(context)).catch((err: unknown) => {
      // the SDK's own activity schema is stricter than ours in places; it throws outside its error handling
      log.warn({ reason: errorText(err).replace(/\s+/g, " ").slice(0, 300) }, "teams activity rejected by the Agents SDK");
      if (!res.headersSent) res.status(400).json({ error: "malformed activity (refused by the Agents SDK's activity schema)" });
    });
  });
  // JSON syntax errors and oversized bodies from express.json: a 4xx, never a crash
  options.http.use(TEAMS_MESSAGES_PATH, (err: { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    res.status(400).json({ error: err.type === "entity.too.large" ? "activity too large" : "invalid JSON" });
  });
  return { adapter, sender, idle: () => handler.idle() };
}

class TeamsHandler {
  private readonly pending = new Set<Promise<void>>();
  private readonly conversation: Conversation;
  private readonly store: Store;
  private readonly adapter: CloudAdapter;
  private readonly appId: string;
  private readonly inlineWaitMs: number;
  private readonly log: Logger;
  /** Answers' cards, with their chart pictures rendered first (within a budget). */
  private readonly cards: TeamsCards;
  private readonly sender: TeamsSender;

  constructor(conversation: Conversation, store: Store, adapter: CloudAdapter, appId: string, inlineWaitMs: number, log: Logger, cards: TeamsCards, sender: TeamsSender) {
    this.conversation = conversation;
    this.store = store;
    this.adapter = adapter;
    this.appId = appId;
    this.inlineWaitMs = inlineWaitMs;
    this.log = log;
    this.cards = cards;
    this.sender = sender;
  }

  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** One turn; whatever fails in it is logged with a reference and, for a question, told to the asker. */
  async onTurn(context: TurnContext): Promise<void> {
    try {
      await this.dispatch(context);
    } catch (err) {
      await this.apologise(context, err);
    }
  }

  private async dispatch(context: TurnContext): Promise<void> {
    const a = context.activity;
    // activity.type is a plain string on the wire; compare as strings
    switch (a.type) {
      case ActivityTypes.Message as string:
        if (!(await this.firstDelivery(a))) return;
        await this.remember(a);
        if (isSubmit(a.value)) return this.onSubmit(context);
        return this.onMessage(context);
      case ActivityTypes.Invoke as string:
        if (a.name === "adaptiveCard/action") return this.onExecute(context);
        await context.sendActivity(invokeResponse(200, {}));
        return;
      case ActivityTypes.ConversationUpdate as string:
        if ((a.membersAdded ?? []).some((m) => m.id === a.recipient?.id)) await this.greet(context);
        return;
      case ActivityTypes.InstallationUpdate as string:
        if (a.action === "add" || a.action === "add-upgrade") await this.greet(context);
        return;
      default:
        return;
    }
  }

  private async onMessage(context: TurnContext): Promise<void> {
    const a = context.activity;
    // in channels and group chats the bot's own mention is part of the text; other mentions stay
    const text = (a.removeRecipientMention() || a.text || "").replace(/<\/?at>/g, "").trim();
    if (!this.conversation.commandFor(text).waitsOnAzure) {
      // schedules and the like answer from the store, well inside Teams' 15 s: no "working…" to replace
      const said = await this.conversation.say(text, place(a));
      await this.deliver(context, "command reply", () => context.sendActivity(cardMessage(said)));
      return;
    }
    await this.sender.typing(a.conversation?.id ?? "", () => context.sendActivity(Activity.fromObject({ type: ActivityTypes.Typing }))).catch(() => undefined);
    const asked = text;
    const pending = this.conversation.say(asked, place(a));
    const quick = await this.within(pending);
    if (quick) {
      const card = await this.cards.activity(quick);
      await this.deliver(context, "answer", () => context.sendActivity(card));
      return;
    }
    // the turn ends now (Teams is waiting); the answer replaces "working…" when it is ready
    const working = await this.deliver(context, "working message", () => context.sendActivity(MessageFactory.text(renderText(workingMessage(asked)))));
    if (working?.id) this.later(context, working.id, pending);
    else {
      const card = await this.cards.activity(await pending);
      await this.deliver(context, "answer", () => context.sendActivity(card));
    }
  }

  /** Action.Execute: the invoke's response is the new card, which Teams swaps in place. */
  private async onExecute(context: TurnContext): Promise<void> {
    const value = context.activity.value as { action?: { verb?: unknown; data?: { followUp?: unknown } } } | undefined;
    const followUp = value?.action?.verb === FOLLOW_UP_VERB ? decodeFollowUp(value.action.data?.followUp) : undefined;
    if (!followUp) {
      await context.sendActivity(invokeResponse(200, { statusCode: 400, type: "application/vnd.microsoft.error", value: { code: "BadRequest", message: "This button is not one of mine." } }));
      return;
    }
    const a = context.activity;
    const pending = this.conversation.press(followUp, place(a));
    const quick = await this.within(pending);
    if (quick) {
      await context.sendActivity(invokeResponse(200, { statusCode: 200, type: CARD_CONTENT_TYPE, value: await this.cards.card(quick) }));
      return;
    }
    // Teams waits about 15 s for an invoke: show "working…" on the card now, the answer when it is ready
    await context.sendActivity(invokeResponse(200, { statusCode: 200, type: CARD_CONTENT_TYPE, value: workingCard(followUp.text) }));
    if (a.replyToId) this.later(context, a.replyToId, pending);
  }

  /** Action.Submit (older clients): a message carrying the button's data; the card it came from is replaced. */
  private async onSubmit(context: TurnContext): Promise<void> {
    const a = context.activity;
    const followUp = decodeFollowUp((a.value as { followUp?: unknown }).followUp);
    if (!followUp) {
      // our verb with data the bot can't read (an older card, an edited one): say so rather than nothing
      const stale = await this.cards.activity(staleButtonMessage());
      await this.deliver(context, "stale button", () => context.sendActivity(stale));
      return;
    }
    const pending = this.conversation.press(followUp, place(a));
    const quick = await this.within(pending);
    if (!quick && a.replyToId) {
      this.later(context, a.replyToId, pending);
      return;
    }
    const message = await this.cards.activity(quick ?? (await pending));
    if (a.replyToId) await this.deliver(context, "card update", () => context.updateActivity(withId(message, a.replyToId ?? "", a.getConversationReference())), a.replyToId);
    else await this.deliver(context, "answer", () => context.sendActivity(message));
  }

  private within(pending: Promise<Message>): Promise<Message | undefined> {
    return replyWithin(pending, this.inlineWaitMs);
  }

  /** Ends the turn now and replaces message `id` with the answer when it is ready. */
  private later(context: TurnContext, id: string, pending: Promise<Message>): void {
    const reference = context.activity.getConversationReference();
    const identity = { ...context.identity, ...(this.appId ? { aud: this.appId } : {}) };
    this.background(async () => {
      const card = await this.cards.activity(await pending);
      await this.adapter.continueConversation(identity, reference, async (ctx) => {
        await this.deliver(ctx, "answer update", () => ctx.updateActivity(withId(card, id, reference)), id);
      });
    });
  }

  private async greet(context: TurnContext): Promise<void> {
    const a = context.activity;
    await this.remember(a);
    if (!(await this.firstGreeting(a))) return;
    const help: Reply = { kind: "help", examples: ["latency", "blocked calls last hour for deployment gpt-4o", "tokens by deployment 7d", "is anything failing?"], deployments: [] };
    await this.deliver(context, "greeting", () => context.sendActivity(cardMessage(composeReply(help, "help"))));
  }

  private async firstGreeting(a: Activity): Promise<boolean> {
    try {
      return await this.store.claimOnce(keys.teamsGreeted(a.conversation?.id ?? ""), GREETED_TTL_MS);
    } catch (err) {
      this.log.warn({ conversation: a.conversation?.id ?? "", err }, "store unavailable, greeting without checking for an earlier greeting");
      return true;
    }
  }

  /** Conversation references are what scheduled reports need to post here later. */
  private async remember(a: Activity): Promise<void> {
    // a channel thread (…;messageid=…) is remembered as its channel
    const id = a.conversation?.id.split(";messageid=")[0];
    if (!id) return;
    const reference = a.getConversationReference();
    try {
      // keyed by id only: names are whatever members typed, so they never say where reports go
      await this.store.put(keys.teamsConversation(id), JSON.stringify({ ...reference, conversation: { ...reference.conversation, id } }));
    } catch (err) {
      // the answer does not need it; scheduled reports use the reference stored last time
      this.log.warn({ conversation: id, err }, "store unavailable, conversation not remembered for scheduled reports");
    }
  }

  private async firstDelivery(a: Activity): Promise<boolean> {
    if (!a.id) return true;
    try {
      return await this.store.claimOnce(keys.teamsActivity(a.conversation?.id ?? "", a.id), DEDUPE_TTL_MS);
    } catch (err) {
      // a rare duplicate answer beats a silent bot
      this.log.warn({ activity: a.id, err }, "store unavailable, answering without the redelivery check");
      return true;
    }
  }

  /** A question that could not be answered gets a short apology with a reference to the log line. */
  private async apologise(context: TurnContext, err: unknown): Promise<void> {
    const reference = randomUUID().slice(0, 8);
    const a = context.activity;
    this.log.error({ reference, activityType: a.type, ...(a.name ? { name: a.name } : {}), err }, "teams turn failed; the user was told with a reference");
    const message = "I couldn't answer that just now: something I depend on is not responding.";
    const hint = "Please try again in a few minutes.";
    if (a.type === (ActivityTypes.Invoke as string)) {
      // the Universal Actions way to say a button failed: Teams shows the message on the card
      await context.sendActivity(invokeResponse(200, { statusCode: 500, type: "application/vnd.microsoft.error", value: { code: "InternalError", message: `${message} ${hint} (reference ${reference})` } }));
      return;
    }
    if (a.type !== (ActivityTypes.Message as string)) return;
    const reply: Reply = { kind: "error", code: "internal", message, hint, examples: [], reference };
    await this.deliver(context, "apology", () => context.sendActivity(cardMessage(composeReply(reply, ""))));
  }

  /** Sends through the conversation's lane; `edits`: the id of the activity this replaces (a newer edit of it waiting wins). */
  private async deliver<T>(context: TurnContext, what: string, send: () => Promise<T>, edits?: string): Promise<T | undefined> {
    const conversation = context.activity.conversation?.id ?? "";
    try {
      if (edits === undefined) return await this.sender.send(conversation, what, send);
      const sent = await this.sender.update(conversation, edits, what, send);
      return sent.sent ? sent.value : undefined;
    } catch (err) {
      this.log.error({ what, err }, "teams delivery failed");
      return undefined;
    }
  }

  private background(work: () => Promise<void>): void {
    const p = work().catch((err: unknown) => {
      this.log.error({ err }, "teams background answer failed");
    });
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function cardMessage(m: Message): Activity {
  const card = renderAdaptiveCard(m);
  const message = MessageFactory.attachment({ contentType: CARD_CONTENT_TYPE, content: card });
  message.summary = card.fallbackText;
  return message;
}

function withId(message: Activity, id: string, reference: ConversationReference): Activity {
  message.id = id;
  return message.applyConversationReference(reference);
}

function workingCard(asked: string): Record<string, unknown> {
  return { ...renderAdaptiveCard(workingMessage(asked)) };
}

function invokeResponse(status: number, body: unknown): Activity {
  return Activity.fromObject({ type: ActivityTypes.InvokeResponse, value: { status, body } });
}

function isSubmit(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as { verb?: unknown }).verb === FOLLOW_UP_VERB;
}

/**
 * Where a Teams turn happened: the conversation (a channel thread is its channel; the thread is kept
 * apart), and the tenant the person came from, which access rules and the default policy read.
 */
function place(a: Activity): Place {
  const data = a.channelData as { tenant?: { id?: string }; team?: { id?: string }; channel?: { id?: string } } | undefined;
  const [conversation = "", thread] = (a.conversation?.id ?? "").split(";messageid=");
  const tenant = data?.tenant?.id ?? a.conversation?.tenantId;
  return {
    platform: "teams",
    ...(tenant ? { workspace: tenant } : {}),
    ...(data?.team?.id ? { team: data.team.id } : {}),
    ...(conversation ? { channel: conversation } : {}),
    ...(a.from?.id ? { user: a.from.aadObjectId ?? a.from.id } : {}),
    ...(thread ? { thread } : {}),
  };
}
