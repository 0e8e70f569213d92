// Messages into Teams (scheduled reports; the same cards as answers): proactive messages to a conversation reference stored when the bot
// was added or last spoken to. A target is a conversation id, or a name the admin mapped to one in
// configuration (teams.channels); nothing a conversation says about itself can redirect a report.
import type { ConversationReference } from "@microsoft/agents-activity";
import type { CloudAdapter } from "@microsoft/agents-hosting";
import type { Message } from "../../bot/message.ts";
import type { PostedRef, ReportPoster } from "../../schedules/poster.ts";
import type { Target } from "../../schedules/schedule.ts";
import type { Store } from "../../store/store.ts";
import { TeamsCards } from "./card-activity.ts";
import { sendProactive, TeamsSender } from "./sender.ts";
import { resolveTarget, TeamsConversationUnknownError, type TeamsChannels } from "./conversation-id.ts";
import { keys } from "../../store/keys.ts";

export class TeamsReportPoster implements ReportPoster {
  private readonly adapter: CloudAdapter;
  private readonly store: Store;
  private readonly appId: string | undefined;
  private readonly channels: TeamsChannels;
  /** Report cards, with their chart pictures rendered first (within a budget). */
  private readonly cards: TeamsCards;
  /** The adapter's outbound lanes, so reports and answers in one conversation share its pace. */
  private readonly sender: TeamsSender;

  constructor(adapter: CloudAdapter, store: Store, appId: string | undefined, channels: TeamsChannels = new Map(), cards: TeamsCards = new TeamsCards(), sender: TeamsSender = new TeamsSender()) {
    this.adapter = adapter;
    this.store = store;
    this.appId = appId;
    this.channels = channels;
    this.cards = cards;
    this.sender = sender;
  }

  async post(target: Target, message: Message): Promise<PostedRef> {
    const reference = await this.reference(target);
    const activity = await this.cards.activity(message);
    const res = await sendProactive(this.adapter, this.identity(), reference, (ctx) => this.sender.send(reference.conversation.id, "report", () => ctx.sendActivity(activity)));
    return { target, id: res?.id ?? "" };
  }

  async update(ref: PostedRef, message: Message): Promise<void> {
    const reference = await this.reference(ref.target);
    const m = await this.cards.activity(message);
    await sendProactive(this.adapter, this.identity(), reference, async (ctx) => {
      m.id = ref.id;
      await this.sender.update(reference.conversation.id, ref.id, "report update", () => ctx.updateActivity(m.applyConversationReference(reference)));
    });
  }

  async reply(ref: PostedRef, message: Message): Promise<PostedRef> {
    const reference = await this.reference(ref.target);
    // in a channel, a conversation id ending in ;messageid=<id> is the thread of that message
    const threaded: ConversationReference = reference.conversation.conversationType === "channel" ? { ...reference, conversation: { ...reference.conversation, id: `${reference.conversation.id.split(";")[0] ?? ""};messageid=${ref.id}` } } : reference;
    const activity = await this.cards.activity(message);
    const res = await sendProactive(this.adapter, this.identity(), threaded, (ctx) => this.sender.send(threaded.conversation.id, "report reply", () => ctx.sendActivity(activity)));
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
