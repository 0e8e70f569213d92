// Activities as Teams sends them to a bot.
let n = 0;

export const BOT = { id: "28:aoai-bot", name: "aoai" };
export const USER = { id: "29:ada", name: "Ada", aadObjectId: "aad-ada" };
/** The tenant activities come from: the fake identity provider's, i.e. the bot's configured tenant (its people are home). */
export const TENANT = "11111111-2222-3333-4444-555555555555";

export function personalMessage(serviceUrl: string, text: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: "message",
    id: `msg-${++n}-${Date.now()}`,
    timestamp: new Date().toISOString(),
    channelId: "msteams",
    serviceUrl,
    from: USER,
    recipient: BOT,
    conversation: { id: "a:personal-chat-1", conversationType: "personal", tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    locale: "en-US",
    text,
    ...over,
  };
}

export function channelMention(serviceUrl: string, question: string, threadId = "19:ops@thread.tacv2;messageid=1700000000000"): Record<string, unknown> {
  return personalMessage(serviceUrl, `<at>aoai</at> ${question} <at>Bob</at>`, {
    conversation: { id: threadId, conversationType: "channel", isGroup: true, tenantId: TENANT },
    channelData: { tenant: { id: TENANT }, team: { id: "19:team@thread.tacv2" }, channel: { id: "19:ops@thread.tacv2" } },
    entities: [
      { type: "mention", text: "<at>aoai</at>", mentioned: BOT },
      { type: "mention", text: "<at>Bob</at>", mentioned: { id: "29:bob", name: "Bob" } },
    ],
  });
}

export function cardAction(serviceUrl: string, followUp: Record<string, unknown>): Record<string, unknown> {
  return personalMessage(serviceUrl, "", { type: "invoke", name: "adaptiveCard/action", text: undefined, replyToId: "bot-activity-1", value: { action: { type: "Action.Execute", verb: "aoai.followUp", data: { followUp } }, trigger: "manual" } });
}

export function botAdded(serviceUrl: string, conversationId: string): Record<string, unknown> {
  return personalMessage(serviceUrl, "", { type: "conversationUpdate", text: undefined, membersAdded: [BOT], conversation: { id: conversationId, conversationType: "channel", isGroup: true, tenantId: TENANT } });
}
