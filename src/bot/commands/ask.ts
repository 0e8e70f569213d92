// The default command: a question about the deployments, answered from Azure Monitor.
import type { Bot } from "../bot.ts";
import { composeReply } from "../compose.ts";
import { withQuestion, type ContextualAsker } from "../context-ask.ts";
import type { Command } from "./command.ts";

/** With `contextual`, follow-ups ("what about yesterday?") change the place's previous question. */
export function askCommand(bot: Bot, contextual?: ContextualAsker): Command {
  return {
    name: "ask",
    words: [],
    waitsOnAzure: true,
    run: async ({ text, place }) => {
      if (!contextual) return composeReply(await bot.ask(text, place), text);
      const { reply, merged } = await contextual.ask(text, place);
      return withQuestion(composeReply(reply, text), merged);
    },
  };
}
