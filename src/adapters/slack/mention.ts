// Slack's markup around a question: mentions (`<@U0123>`, `<@U0123|name>`) and a typed `@aoai` or
// `/aoai` in front. Stripped here, so the conversation sees plain text.
import { MAX_INPUT_LENGTH } from "../../bot/parse.ts";

// a mention stops at the next "<": linear whatever the text (no restart of a long scan)
const MENTION = /<@[^<>]*>/g;
const PREFIX = /^\s*[/@]aoai\b/i;

export function slackText(raw: string): string {
  // overlong text goes on as it came: the conversation refuses it by its raw length, unread
  if (raw.length > MAX_INPUT_LENGTH) return raw;
  return raw.replace(MENTION, " ").replace(PREFIX, "").trim();
}
