// Scheduled reports into Teams: proactive messages to a conversation reference stored when the bot
// was added or last spoken to. A target is a conversation id, or a name the admin mapped to one in
// configuration (teams.channels); nothing a conversation says about itself can redirect a report.
import type { ConversationReference } from "@microsoft/agents-activity";
import { MessageFactory, type CloudAdapter } from "@microsoft/agents-hosting";
import type { PostedRef, ReportPoster } from "../../schedules/poster.ts";
import type { Report } from "../../schedules/report.ts";
import type { Target } from "../../schedules/schedule.ts";
import type { Store } from "../../store/store.ts";
import { CARD_CONTENT_TYPE } from "./render-adaptive-card.ts";
import { renderReportCard } from "./render-report.ts";
import { sendWithRetry } from "./sender.ts";
import { resolveTarget, TeamsConversationUnknownError, type TeamsChannels } from "./conversation-id.ts";
import { CONVERSATION_KEY_PREFIX } from "./teams-app.ts";

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

  async post(target: Target, report: Report): Promise<PostedRef> {
    const reference = await this.reference(target);
    let id = "";
    await this.adapter.continueConversation(this.identity(), reference, async (ctx) => {
      const res = await sendWithRetry(() => ctx.sendActivity(message(report)), false);
      id = res?.id ?? "";
    });
    return { target, id };
  }

  async update(ref: PostedRef, report: Report): Promise<void> {
    const reference = await this.reference(ref.target);
    await this.adapter.continueConversation(this.identity(), reference, async (ctx) => {
      const m = message(report);
      m.id = ref.id;
      await sendWithRetry(() => ctx.updateActivity(m.applyConversationReference(reference)), true);
    });
  }

  async reply(ref: PostedRef, report: Report): Promise<PostedRef> {
    const reference = await this.reference(ref.target);
    // in a channel, a conversation id ending in ;messageid=<id> is the thread of that message
    const threaded: ConversationReference = reference.conversation.conversationType === "channel" ? { ...reference, conversation: { ...reference.conversation, id: `${reference.conversation.id.split(";")[0] ?? ""};messageid=${ref.id}` } } : reference;
    let id = "";
    await this.adapter.continueConversation(this.identity(), threaded, async (ctx) => {
      const res = await sendWithRetry(() => ctx.sendActivity(message(report)), false);
      id = res?.id ?? "";
    });
    return { target: ref.target, id };
  }

  private identity(): string | { name: string } {
    // without an app id the connector is called anonymously (local development)
    return this.appId ?? { name: "anonymous" };
  }

  private async reference(target: Target): Promise<ConversationReference> {
    if (target.platform !== "teams") throw new Error(`not a Teams target: ${target.platform}`);
    const id = resolveTarget(target.conversation, this.channels);
    const raw = await this.store.get(`${CONVERSATION_KEY_PREFIX}${id}`);
    const reference = raw === undefined ? undefined : (JSON.parse(raw) as ConversationReference);
    // the reference is keyed by the id it names; one naming another conversation is not this target's
    if (reference?.conversation.id !== id) throw new TeamsConversationUnknownError(target.conversation, id);
    return reference;
  }
}

function message(report: Report) {
  const card = renderReportCard(report);
  const m = MessageFactory.attachment({ contentType: CARD_CONTENT_TYPE, content: card });
  m.summary = card.fallbackText;
  return m;
}
