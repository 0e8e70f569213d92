// Messages into Teams (scheduled reports; the same cards as answers): proactive messages to a conversation reference stored when the bot
// was added or last spoken to. A target is a conversation id, or a name the admin mapped to one in
// configuration (teams.channels); nothing a conversation says about itself can redirect a report.
import type { Activity, ConversationReference } from "@microsoft/agents-activity";
import { MessageFactory, type CloudAdapter } from "@microsoft/agents-hosting";
import type { Message } from "../../bot/message.ts";
import type { PostedRef, ReportPoster } from "../../schedules/poster.ts";
import type { Target } from "../../schedules/schedule.ts";
import type { Store } from "../../store/store.ts";
import { CARD_CONTENT_TYPE, renderAdaptiveCard } from "./render-adaptive-card.ts";
import { sendProactive, sendWithRetry } from "./sender.ts";
import { resolveTarget, TeamsConversationUnknownError, type TeamsChannels } from "./conversation-id.ts";
import { keys } from "../../store/keys.ts";

export class TeamsReportPoster implements ReportPoster {
  private readonly adapter: CloudAdapter;
  private readonly store: Store;
  private readonly appId: string | undefined;
  private readonly channels: TeamsChannels;

  constructor(adapter: CloudAdapter, store: Store, appId: string | undefined, channels: TeamsChannels = new Map()) {
    this.adapter = adapter;
    this.store = store;
    this.appId = appId;
    this.channels = channels;
  }

  async post(target: Target, message: Message): Promise<PostedRef> {
    const reference = await this.reference(target);
    const res = await sendProactive(this.adapter, this.identity(), reference, (ctx) => sendWithRetry(() => ctx.sendActivity(cardActivity(message)), false));
    return { target, id: res?.id ?? "" };
  }

  async update(ref: PostedRef, message: Message): Promise<void> {
    const reference = await this.reference(ref.target);
    await sendProactive(this.adapter, this.identity(), reference, async (ctx) => {
      const m = cardActivity(message);
      m.id = ref.id;
      await sendWithRetry(() => ctx.updateActivity(m.applyConversationReference(reference)), true);
    });
  }

  async reply(ref: PostedRef, message: Message): Promise<PostedRef> {
    const reference = await this.reference(ref.target);
    // in a channel, a conversation id ending in ;messageid=<id> is the thread of that message
    const threaded: ConversationReference = reference.conversation.conversationType === "channel" ? { ...reference, conversation: { ...reference.conversation, id: `${reference.conversation.id.split(";")[0] ?? ""};messageid=${ref.id}` } } : reference;
    const res = await sendProactive(this.adapter, this.identity(), threaded, (ctx) => sendWithRetry(() => ctx.sendActivity(cardActivity(message)), false));
    return { target: ref.target, id: res?.id ?? "" };
  }

  private identity(): string | { name: string } {
    // without an app id the connector is called anonymously (local development)
    return this.appId ?? { name: "anonymous" };
  }

  private async reference(target: Target): Promise<ConversationReference> {
    if (target.platform !== "teams") throw new Error(`not a Teams target: ${target.platform}`);
    const id = resolveTarget(target.conversation, this.channels);
    const raw = await this.store.get(keys.teamsConversation(id));
    const reference = raw === undefined ? undefined : (JSON.parse(raw) as ConversationReference);
    // the reference is keyed by the id it names; one naming another conversation is not this target's
    if (reference?.conversation.id !== id) throw new TeamsConversationUnknownError(target.conversation, id);
    return reference;
  }
}

/** The activity for a message: its card, with the card's fallback as the notification summary. */
function cardActivity(message: Message): Activity {
  const card = renderAdaptiveCard(message);
  const m = MessageFactory.attachment({ contentType: CARD_CONTENT_TYPE, content: card });
  m.summary = card.fallbackText;
  return m;
}
