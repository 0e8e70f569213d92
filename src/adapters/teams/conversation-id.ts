// Teams conversation ids versus the names an admin gives them in configuration. A target shaped like
// an id is only ever that id: no name, whoever chose it, may stand for another conversation's id.
import { DeliveryRefusedError } from "../../schedules/delivery-errors.ts";

/** Channel and group chat (19:…), personal chat (a:…), Skype/consumer (8:…), user/bot (29:…, 28:…). */
const ID_PREFIX = /^(?:19|a|8|28|29):/i;
const ID_MARKER = /@(?:thread|unq)/i;

export function isConversationId(target: string): boolean {
  const t = target.trim();
  return ID_PREFIX.test(t) || ID_MARKER.test(t);
}

/** Names are matched without regard to case or surrounding space. */
export function channelNameKey(name: string): string {
  return name.trim().toLowerCase();
}

/** Admin-given names → conversation ids (configuration `teams.channels`), keyed by {@link channelNameKey}. */
export type TeamsChannels = ReadonlyMap<string, string>;

/** Nothing was sent: the name maps to no conversation. */
export class TeamsTargetError extends DeliveryRefusedError {
  readonly target: string;

  constructor(target: string) {
    super("teams_channel_not_configured", `no Teams channel named "${target}" is configured; add it under teams.channels (name: conversation id) or use the conversation id`, { platform: "teams" });
    this.name = "TeamsTargetError";
    this.target = target;
  }
}

/** The bot has no reference for the conversation (never added to it or messaged there): nothing was sent. */
export class TeamsConversationUnknownError extends DeliveryRefusedError {
  readonly conversationId: string;

  constructor(target: string, conversationId: string) {
    super("teams_conversation_unknown", `no stored Teams conversation "${target}"${conversationId === target ? "" : ` (${conversationId})`}: add the bot to it (or message it there) first`, { platform: "teams" });
    this.name = "TeamsConversationUnknownError";
    this.conversationId = conversationId;
  }
}

/** The one conversation id a schedule target names: itself when id-shaped, else its configured id. */
export function resolveTarget(target: string, channels: TeamsChannels): string {
  if (isConversationId(target)) return target.trim();
  const id = channels.get(channelNameKey(target));
  if (id === undefined) throw new TeamsTargetError(target);
  return id;
}
