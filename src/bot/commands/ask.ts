// The default command: a question about the deployments, answered from Azure Monitor.
import type { Bot } from "../bot.ts";
import { composeReply } from "../compose.ts";
import type { Command } from "./command.ts";

export function askCommand(bot: Bot): Command {
  return {
    name: "ask",
    words: [],
    waitsOnAzure: true,
    run: async ({ text, place }) => composeReply(await bot.ask(text, place), text),
  };
}
