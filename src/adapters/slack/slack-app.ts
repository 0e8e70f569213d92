// Slack as a thin shell around the conversation: /aoai, @mentions, DMs and answer buttons become
// conversation.say / press calls (mentions and the `share` word stripped here); the Message is
// rendered as Block Kit and goes out through the one SlackSender. In HTTP mode every request
// passes request-guard.ts (timestamp, signature, payload shape) before Bolt sees it.
// Every request is acknowledged before the store is asked anything: a store outage costs the
// dedupe record between replicas (a retried delivery this replica saw is still refused from
// memory), never the answer.
import { App, ExpressReceiver, LogLevel } from "@slack/bolt";
import { WebClient } from "@slack/web-api";
import type { Express } from "express";
import type { AccessPolicy } from "../../access/policy.ts";
import type { Place } from "../../bot/asker.ts";
import type { Conversation } from "../../bot/conversation.ts";
import type { Logger } from "../../log/logger.ts";
import type { DeliveryObserver } from "../delivery-observer.ts";
import { inRequest } from "../../log/request-context.ts";
import { sharedLogger } from "../../log/pino-logger.ts";
import { keys } from "../../store/keys.ts";
import type { Store } from "../../store/store.ts";
import { boltLogger } from "./bolt-logger.ts";
import { decodeFollowUp } from "../../bot/follow-up.ts";
import { replyWithin } from "../../bot/reply-within.ts";
import { workingMessage } from "../../bot/compose.ts";
import { staleButtonMessage } from "../../bot/stale-button.ts";
import { botIdentity } from "./bot-identity.ts";
import { slackText } from "./mention.ts";
import { ACTION_PREFIX, renderBlockKit, type SlackMessage } from "./render-blockkit.ts";
import { slackRequestGuard } from "./request-guard.ts";
import { AckFirst } from "./ack-first.ts";
import { SlackSender } from "./sender.ts";
import { DeliveryClaims } from "./delivery-claims.ts";
import { SlackCharts, type SlackChartOptions } from "./chart-upload.ts";
import type { SlackSettings } from "./settings.ts";

export const SLACK_EVENTS_PATH = "/slack/events";
/** Slack retries events for about five minutes; an hour of memory covers every retry. */
const DEDUPE_TTL_MS = 60 * 60_000;
/** Answers faster than this are posted directly; slower ones show "working…" first and are edited in place. */
export const DEFAULT_INLINE_WAIT_MS = 1_500;
/** Bodies of real Slack requests are a few KB; anything near this is not from Slack. */
const BODY_LIMIT_BYTES = 256 * 1024;
/** A command that does not wait on Azure (schedules) is answered in its acknowledgement when it is done by then; Slack gives up after 3 s. */
const ACK_WAIT_MS = 2_000;
/** How long a request waits for auth.test when the start could not learn the bot's workspace. */
const HOME_WAIT_MS = 800;

export interface SlackAdapterOptions {
  readonly settings: SlackSettings;
  readonly conversation: Conversation;
  readonly store: Store;
  /** The shared HTTP server's app; /slack/events is mounted on it (HTTP mode). */
  readonly http: Express;
  readonly logger?: Logger;
  readonly inlineWaitMs?: number;
  /** How answers' charts reach Slack (slack.charts) and how their pictures are rendered. */
  readonly charts?: SlackChartOptions;
  /** Told of each send to Slack (the bot process's metrics). */
  readonly observeDelivery?: DeliveryObserver;
  /** Told the bot's own workspace (auth.test's team_id): its people get the default policy's home grant. */
  readonly access?: AccessPolicy;
}

export interface SlackAdapter {
  readonly app: App;
  /** The one outbound path to Slack (scheduled reports use it too). */
  readonly sender: SlackSender;
  stop(): Promise<void>;
}

export async function startSlack(options: SlackAdapterOptions): Promise<SlackAdapter> {
  const { settings } = options;
  const clientOptions = {
    ...(settings.apiUrl === undefined ? {} : { slackApiUrl: settings.apiUrl }),
    // our sender owns rate-limit retries; the client's default would retry for ~30 minutes
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  };
  const log = (options.logger ?? sharedLogger()).child({ component: "slack" });
  // Bolt's own lines go through our logger too; WARN keeps its per-request chatter out
  const logger = boltLogger(log);
  const web = new WebClient(settings.botToken, { ...clientOptions, logger });
  // Bolt would call auth.test itself, unawaited: a refused token would end the process with a bare stack
  const identity = await botIdentity(web, log);
  // no conversation store: nothing reads Bolt's context.conversation, and its lookup builds a "not found" Error per request
  const common = { token: settings.botToken, clientOptions, logger, logLevel: LogLevel.WARN, convoStore: false as const, ...(identity ?? { tokenVerificationEnabled: false }) };
  const acks = new AckFirst();

  let app: App;
  if (settings.appToken !== undefined) {
    app = new App({ ...common, appToken: settings.appToken, socketMode: true });
  } else {
    const signingSecret = settings.signingSecret ?? "";
    // registered before the receiver, so it runs first on the same route
    options.http.post(SLACK_EVENTS_PATH, acks.track, slackRequestGuard({ signingSecret, bodyLimitBytes: BODY_LIMIT_BYTES, logger: log }));
    const receiver = new ExpressReceiver({
      signingSecret,
      // the guard in front verified the signature of every request that gets here: once is enough
      signatureVerification: false,
      app: options.http,
      endpoints: SLACK_EVENTS_PATH,
      bodyLimit: `${BODY_LIMIT_BYTES}b`,
      logger,
      logLevel: LogLevel.WARN,
    });
    app = new App({ ...common, receiver });
  }

  const sender = new SlackSender(web, undefined, log, new SlackCharts(options.charts ?? {}, log), options.observeDelivery);
  const home = new SlackHome(web, options.access, log);
  await home.known();
  const handlers = new SlackHandlers(options.conversation, options.store, sender, options.inlineWaitMs ?? DEFAULT_INLINE_WAIT_MS, log, home, acks);
  // Socket Mode events come without an HTTP request: each gets a request id of its own (HTTP mode keeps its request's)
  app.use(({ next }) => handlers.tracked(inRequest(() => next())));
  handlers.register(app);
  app.error((err) => {
    log.error({ err }, "slack handler failed");
    return Promise.resolve();
  });
  if (settings.appToken !== undefined) await app.start();
  return {
    app,
    sender,
    stop: async () => {
      await handlers.settled();
      if (settings.appToken !== undefined) await app.stop();
    },
  };
}

class SlackHandlers {
  private readonly conversation: Conversation;
  private readonly claims: DeliveryClaims;
  private readonly sender: SlackSender;
  private readonly inlineWaitMs: number;
  private readonly log: Logger;
  private readonly home: SlackHome;
  /** Work after an ack waits for the acks of the requests already in (ack-first.ts). */
  private readonly acks: AckFirst;
  /** Listeners under way: one acknowledged and waiting for its turn is not yet in flight for the drain (it has not reached the conversation), so stop() waits for them. */
  private readonly running = new Set<Promise<void>>();

  constructor(conversation: Conversation, store: Store, sender: SlackSender, inlineWaitMs: number, log: Logger, home: SlackHome, acks: AckFirst) {
    this.conversation = conversation;
    this.claims = new DeliveryClaims(store, DEDUPE_TTL_MS, log);
    this.sender = sender;
    this.inlineWaitMs = inlineWaitMs;
    this.log = log;
    this.home = home;
    this.acks = acks;
  }

  register(app: App): void {
    app.command("/aoai", async ({ command, ack }) => {
      await this.home.beforeRequest();
      const { share, text } = splitShare(slackText(command.text));
      // the same trigger twice is one question asked once (a retried delivery or a double submit)
      const dedupeKey = keys.slackCommand(command.team_id, command.trigger_id);
      const responseType = share ? "in_channel" : "ephemeral";
      const place: Place = { platform: "slack", workspace: command.team_id, ...orgOf(command.team_id, (command as { user_team?: unknown }).user_team), channel: command.channel_id, user: command.user_id };
      const respond = (message: SlackMessage, what: string) => this.deliver(() => this.sender.respond(command.response_url, { response_type: responseType, replace_original: true, ...message }), what);
      if (!this.conversation.commandFor(text).waitsOnAzure) {
        const pending = this.firstDelivery(dedupeKey).then(async (first) => (first ? renderBlockKit(await this.conversation.say(text, place)) : undefined));
        // these commands need the store (the dedupe claim too): the answer rides on the ack when it is quick, else follows it
        const quick = await settledWithin(pending, ACK_WAIT_MS);
        await ack(quick.settled ? quick.value && { response_type: responseType, ...quick.value } : { response_type: responseType, ...renderBlockKit(workingMessage(text)) });
        const late = quick.settled ? undefined : await pending;
        if (late) await respond(late, "command reply");
        return;
      }
      await ack({ response_type: responseType, ...renderBlockKit(workingMessage(text || "help")) });
      await this.acks.turn();
      if (!(await this.firstDelivery(dedupeKey))) return;
      await respond(renderBlockKit(await this.conversation.say(text, place), { shareable: !share }), "command reply");
    });

    // a command this app does not own (a manifest out of date): say so instead of letting Slack time out
    app.command(/^(?!\/aoai$)/, async ({ command, ack }) => {
      await ack({ response_type: "ephemeral", text: `This app answers \`/aoai\`, not \`${command.command}\`. Try \`/aoai help\`.` });
    });

    // Bolt acknowledges events before their listeners run
    app.event("app_mention", async ({ event, body }) => {
      await this.acks.turn();
      if (!(await this.firstDelivery(keys.slackEvent(body.event_id)))) return;
      if ("bot_id" in event && event.bot_id) return;
      await this.home.beforeRequest();
      const thread = event.thread_ts ?? event.ts;
      // in a Slack Connect channel the person's own team is user_team, not the channel's workspace
      await this.answerIn(slackText(event.text), { platform: "slack", workspace: body.team_id, ...orgOf(body.team_id, event.user_team), channel: event.channel, ...(event.user ? { user: event.user } : {}), thread });
    });

    app.message(async ({ message, body }) => {
      // only plain messages people type in a DM with the bot; edits, joins and other bots are not questions
      if (message.channel_type !== "im" || message.subtype !== undefined || "bot_id" in message) return;
      await this.acks.turn();
      const envelope = body as { event_id?: string; team_id?: string };
      if (envelope.event_id !== undefined && !(await this.firstDelivery(keys.slackEvent(envelope.event_id)))) return;
      await this.home.beforeRequest();
      const userTeam = (message as { user_team?: unknown }).user_team;
      // a DM is one conversation (its channel); a thread inside it is its own, answered in that thread
      await this.answerIn(slackText(message.text ?? ""), { platform: "slack", ...(envelope.team_id ? { workspace: envelope.team_id } : {}), ...orgOf(envelope.team_id, userTeam), channel: message.channel, user: message.user, ...(message.thread_ts ? { thread: message.thread_ts } : {}) });
    });

    // buttons of other apps' messages (or of an older manifest): acknowledged, nothing to do
    app.action(new RegExp(`^(?!${ACTION_PREFIX})`), async ({ ack }) => {
      await ack();
    });

    app.action(new RegExp(`^${ACTION_PREFIX}`), async ({ ack, body, action }) => {
      await ack();
      await this.acks.turn();
      if (body.type !== "block_actions" || action.type !== "button") return;
      const followUp = decodeFollowUp(action.value);
      if (!followUp) {
        const url = body.response_url;
        if (url) await this.deliver(() => this.sender.respond(url, { response_type: "ephemeral", replace_original: false, ...renderBlockKit(staleButtonMessage()) }), "stale button");
        return;
      }
      await this.home.beforeRequest();
      const container = (body.container ?? {}) as { is_ephemeral?: boolean; channel_id?: string; message_ts?: string; thread_ts?: string };
      // the thread the answer sits in: the press updates that conversation's follow-up context
      const threadTs: unknown = body.message?.thread_ts ?? container.thread_ts;
      // the presser's own team: user.team_id (Slack Connect), else the workspace the message is in
      const place: Place = { platform: "slack", ...(body.team?.id ? { workspace: body.team.id } : {}), ...orgOf(body.team?.id, body.user.team_id), ...(body.channel?.id ? { channel: body.channel.id } : {}), user: body.user.id, ...(typeof threadTs === "string" ? { thread: threadTs } : {}) };
      const reply = await this.conversation.press(followUp, place);
      if (followUp.kind === "share") {
        const url = body.response_url;
        if (url) await this.deliver(() => this.sender.respond(url, { response_type: "in_channel", replace_original: false, ...renderBlockKit(reply) }), "share");
        return;
      }
      const message = renderBlockKit(reply, { shareable: container.is_ephemeral === true });
      // ephemeral messages (slash command answers) can only be replaced through response_url
      if (container.is_ephemeral === true || body.message === undefined) {
        const url = body.response_url;
        if (url) await this.deliver(() => this.sender.respond(url, { replace_original: true, ...message }), "button reply");
        return;
      }
      const channel = body.channel?.id ?? container.channel_id;
      const ts = body.message.ts;
      if (channel) await this.deliver(() => this.sender.update(channel, ts, message, typeof threadTs === "string" ? threadTs : undefined), "button update");
    });
  }

  /** Counts a request's listeners until they settle (their errors still go to Bolt). */
  tracked(run: Promise<void>): Promise<void> {
    const entry = run.catch(() => undefined);
    this.running.add(entry);
    void entry.then(() => this.running.delete(entry));
    return run;
  }

  /** Resolves once no listener is under way, those that started while waiting included. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** Posts the answer if it is quick; otherwise a "working…" message first, edited into the answer. Threads stay threads. */
  private async answerIn(text: string, place: Place & { readonly channel: string }): Promise<void> {
    const { channel, thread } = place;
    const pending = this.conversation.say(text, place);
    const quick = await replyWithin(pending, this.inlineWaitMs);
    if (quick) {
      await this.deliver(() => this.sender.post(channel, renderBlockKit(quick), thread), "answer");
      return;
    }
    const posted = await this.deliver(() => this.sender.post(channel, renderBlockKit(workingMessage(text)), thread), "working message");
    const reply = await pending;
    if (posted) await this.deliver(() => this.sender.update(channel, posted.ts, renderBlockKit(reply), thread), "answer update");
    else await this.deliver(() => this.sender.post(channel, renderBlockKit(reply), thread), "answer");
  }

  /** True unless another delivery of the same request was claimed first (delivery-claims.ts). */
  private firstDelivery(key: string): Promise<boolean> {
    return this.claims.first(key);
  }

  /** A failed post is logged, never thrown into Bolt: the process and other conversations carry on. */
  private async deliver<T>(send: () => Promise<T>, what: string): Promise<T | undefined> {
    try {
      return await send();
    } catch (err) {
      this.log.error({ what, err }, "slack delivery failed");
      return undefined;
    }
  }
}

/**
 * The bot's own workspace, from auth.test, told to the access policy. Asked at start; when Slack
 * can't say then, asked again before the next request (until then its people get the stranger's
 * default: nothing), never more than once at a time.
 */
class SlackHome {
  private readonly web: WebClient;
  private readonly access: AccessPolicy | undefined;
  private readonly log: Logger;
  private asking: Promise<void> | undefined;
  private done = false;

  constructor(web: WebClient, access: AccessPolicy | undefined, log: Logger) {
    this.web = web;
    this.access = access;
    this.log = log;
  }

  /** Before a request: a failed start is retried, for at most HOME_WAIT_MS (Slack wants its ack within 3 s). */
  async beforeRequest(): Promise<void> {
    // known (the usual case): no race and no timer on the way to the ack
    if (this.done || !this.access) return;
    await replyWithin(this.known(), HOME_WAIT_MS);
  }

  known(): Promise<void> {
    if (this.done || !this.access) return Promise.resolve();
    const access = this.access;
    this.asking ??= this.web.auth
      .test()
      .then((r) => {
        if (typeof r.team_id !== "string" || r.team_id === "") throw new Error("auth.test named no team_id");
        access.setHome("slack", r.team_id);
        this.done = true;
      })
      .catch((err: unknown) => {
        this.log.warn({ err }, "auth.test failed: the bot's own Slack workspace is unknown, so the default policy allows its people nothing until it is known");
      })
      .finally(() => {
        this.asking = undefined;
      });
    return this.asking;
  }
}

/** Place.org when the person's own team differs from the workspace the request came through. */
function orgOf(workspace: string | undefined, userTeam: unknown): { org?: string } {
  return typeof userTeam === "string" && userTeam !== "" && userTeam !== workspace ? { org: userTeam } : {};
}

/** The promise's value if it settles within `ms`; the caller goes on waiting otherwise. */
async function settledWithin<T>(pending: Promise<T>, ms: number): Promise<{ settled: true; value: T } | { settled: false }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ settled: false }>((resolve) => (timer = setTimeout(() => { resolve({ settled: false }); }, ms)));
  try {
    return await Promise.race([pending.then((value) => ({ settled: true as const, value })), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** `/aoai share latency` posts the answer in the channel; everything else is just for the asker. */
export function splitShare(text: string): { share: boolean; text: string } {
  const m = /^\s*share\b\s*/i.exec(text);
  return m ? { share: true, text: text.slice(m[0].length).trim() } : { share: false, text: text.trim() };
}
