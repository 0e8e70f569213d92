// `teams.channels` in the configuration file: names an admin gives Teams conversations, so a schedule
// can say `teams: ops` instead of a 19:…@thread.tacv2 id. Only the admin names things; nothing a
// conversation sends (its own name, its channel's name) is ever taken as one.
import { z } from "zod";
import { channelNameKey, isConversationId, type TeamsChannels } from "./conversation-id.ts";

const MAX_ID = 1024;

/** Why `name` cannot name a conversation, or undefined when it can. */
function badName(name: string): string | undefined {
  const n = name.trim();
  if (n.length === 0 || n.length > 100) return "a channel name is 1 to 100 characters";
  if (isConversationId(n)) return "is shaped like a conversation id (19:…, a:…, 8:…, 29:…, …@thread…), so it could never name another one; pick a plain name such as ops";
  return undefined;
}
const conversationId = z
  .string()
  .trim()
  .max(MAX_ID)
  .refine((id) => !id.includes("\u0000"), { error: "must not contain NUL" })
  .refine(isConversationId, { error: "must be a Teams conversation id such as 19:abc@thread.tacv2 (a channel's link in Teams holds it)" });

export const TeamsConfigSchema = z.strictObject({
  // keys are checked here rather than by a key schema, so the message says what is wrong with the name
  channels: z
    .record(z.string(), conversationId)
    .superRefine((channels, ctx) => {
      for (const name of Object.keys(channels)) {
        const why = badName(name);
        if (why !== undefined) ctx.addIssue({ code: "custom", path: [name], message: why });
      }
    })
    .optional(),
});
export type TeamsConfigFile = z.infer<typeof TeamsConfigSchema>;

/** The map the poster uses, or the reason it cannot be built (names that collide once case is ignored). */
export function teamsChannels(file: TeamsConfigFile | undefined): TeamsChannels | string {
  const out = new Map<string, string>();
  for (const [name, id] of Object.entries(file?.channels ?? {})) {
    const key = channelNameKey(name);
    const existing = out.get(key);
    if (existing !== undefined && existing !== id) return `"${name}" is given twice (names ignore case), for ${existing} and ${id}`;
    out.set(key, id);
  }
  return out;
}

/** Why a schedule's Teams target cannot be delivered, checked when the configuration loads. */
export function unknownTeamsTarget(target: string, channels: TeamsChannels): string | undefined {
  if (isConversationId(target) || channels.has(channelNameKey(target))) return undefined;
  return `no Teams channel named "${target}" is configured; add it under teams.channels (for example teams: { channels: { ${target}: "19:…@thread.tacv2" } }) or post to the conversation id`;
}
