// "help": what to ask, the deployments there are, and what the other commands do. Greetings and
// "what can you do" reach the same message through the parser (see HELP in parse.ts).
import { composeReply } from "../compose.ts";
import type { Command } from "./command.ts";

export const HELP_WORDS: readonly string[] = ["help", "?", "h", "examples", "example", "usage", "commands"];

export function helpCommand(): Command {
  return {
    name: "help",
    words: HELP_WORDS,
    // the deployments it lists come from Azure
    waitsOnAzure: true,
    // "help latency" is a question as before: the parser decides what it means, and the bot what it needs
    access: (args) => (args === "" ? "anyone" : "question"),
    run: async ({ text, args, place, bot }) => composeReply(await bot.ask(args === "" ? "help" : text, place), text),
  };
}
