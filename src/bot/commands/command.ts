// A row of the conversation's command table. The bot core defines the shape; commands that need
// more than the bot (schedules need the store and the platform table) are registered at wiring time.
import type { AccessCommand } from "../../access/commands.ts";
import type { Place } from "../asker.ts";
import type { Bot } from "../bot.ts";
import type { ContextualAsker } from "../context-ask.ts";
import type { Message } from "../message.ts";

export interface CommandCall {
  /** The whole text as the adapter passed it (markup already stripped), e.g. "schedule list". */
  readonly text: string;
  /** What follows the command's word, trimmed ("list"); the whole text for the default command. */
  readonly args: string;
  readonly place: Place;
  /** The bot as this turn's asker may use it: their resources and deployments only (Bot.within). */
  readonly bot: Bot;
  /** Follow-ups against the place's previous question, through the same view. */
  readonly contextual: ContextualAsker;
}

/**
 * What a command needs from the access rules: one of ACCESS_COMMANDS; "question" when the bot
 * decides once the text is parsed (a metric question is `ask`, a log question `logs`, …); "anyone"
 * for what names nothing (help). A function of the arguments when they decide ("schedule list" reads,
 * "schedule daily" changes).
 */
export type CommandAccess = AccessCommand | "question" | "anyone";


export interface Command {
  readonly name: string;
  /** First words that select it, lower case ("schedule", "schedules"). */
  readonly words: readonly string[];
  /**
   * Its answer waits on Azure, so it can take seconds: platforms that must reply within a deadline
   * show "working…" first. Commands that only touch the store answer directly when they can.
   */
  readonly waitsOnAzure: boolean;
  /** Checked by the conversation before `run`, for every surface. */
  readonly access: CommandAccess | ((args: string) => CommandAccess);
  /** Lines the help message lists for it (absent: not listed). */
  readonly usage?: readonly string[];
  /** Never throws on purpose; the conversation turns a throw into the error message with a reference. */
  run(call: CommandCall): Promise<Message>;
}
