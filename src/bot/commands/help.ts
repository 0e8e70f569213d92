// "help": what to ask, the deployments there are, and what the other commands do. Greetings and
// "what can you do" reach the same message through the parser (see HELP in parse.ts).
import type { Bot } from "../bot.ts";
import { composeReply } from "../compose.ts";
import type { Command } from "./command.ts";

export const HELP_WORDS: readonly string[] = ["help", "?", "h", "examples", "example", "usage", "commands"];

export function helpCommand(bot: Bot): Command {
  return {
    name: "help",
    words: HELP_WORDS,
    // the deployments it lists come from Azure
    waitsOnAzure: true,
    // "help latency" is a question as before: the parser decides what it means
    run: async ({ text, args, place }) => composeReply(await bot.ask(args === "" ? "help" : text, place), text),
  };
}
