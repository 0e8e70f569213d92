// The one conversation entry: every surface (Slack, Teams, the console, `aoai ask`, later the web)
// hands it plain text (platform markup already stripped by the adapter) and the Place it came from,
// and gets one neutral Message back. It picks the command from a table by the first word; "ask" is
// the default. It never throws: a failure becomes the error Message with a reference for the log.
import type { Place } from "./asker.ts";
import type { Bot } from "./bot.ts";
import type { Command } from "./commands/command.ts";
import { askCommand } from "./commands/ask.ts";
import { helpCommand } from "./commands/help.ts";
import { composeReply } from "./compose.ts";
import { ContextualAsker, withQuestion } from "./context-ask.ts";
import type { ConversationContexts } from "./context.ts";
import type { FollowUp } from "./follow-up.ts";
import type { Message } from "./message.ts";
import { MAX_INPUT_LENGTH } from "./parse.ts";

export type { Command, CommandCall } from "./commands/command.ts";

export interface ConversationOptions {
  /** Where follow-ups find the previous question (absent, as in the one-shot CLI: a follow-up is told there is nothing to follow). */
  readonly contexts?: ConversationContexts;
}

/** Trailing punctuation people type after a command word ("help?", "schedule:"). */
const WORD_END = /[?!.,;:]+$/;

export class Conversation {
  private readonly bot: Bot;
  private readonly byWord = new Map<string, Command>();
  private readonly commands: Command[] = [];
  private readonly fallback: Command;
  private readonly contextual: ContextualAsker;

  /** `commands` are registered at wiring time (e.g. "schedule", which needs the store and the platform table). */
  constructor(bot: Bot, commands: readonly Command[] = [], options: ConversationOptions = {}) {
    this.bot = bot;
    this.contextual = new ContextualAsker(bot, options.contexts);
    this.fallback = askCommand(bot, this.contextual);
    for (const c of [helpCommand(bot), ...commands]) this.register(c);
  }

  /** Adds a row to the command table; a word two commands claim is a wiring mistake. */
  register(command: Command): void {
    for (const word of command.words) {
      const taken = this.byWord.get(word);
      if (taken) throw new Error(`"${word}" is already the ${taken.name} command's word`);
      this.byWord.set(word, command);
    }
    this.commands.push(command);
  }

  /** The command a text selects, so a platform can choose how to deliver its answer (see Command.waitsOnAzure). */
  commandFor(text: string): Command {
    return this.route(text).command;
  }

  /** One turn: what someone typed, answered. */
  async say(text: string, place: Place): Promise<Message> {
    try {
      const { command, args } = this.route(text);
      return this.withUsage(await command.run({ text, args, place }));
    } catch (err) {
      return composeReply(this.bot.failure(err, text), text);
    }
  }

  /** A button under an earlier message: another window, a split, a refresh, a clicked example, a share. */
  async press(followUp: FollowUp, place: Place): Promise<Message> {
    if (followUp.kind === "ask" || followUp.kind === "share" || (followUp.kind === "refresh" && !followUp.question)) return this.say(followUp.text, place);
    try {
      // the answer becomes the place's context, as a typed question's does
      const { reply, merged } = await this.contextual.press(followUp, place);
      return withQuestion(composeReply(reply, followUp.text), merged);
    } catch (err) {
      return composeReply(this.bot.failure(err, followUp.text), followUp.text);
    }
  }

  private route(text: string): { command: Command; args: string } {
    // the parser refuses overlong text before it reads it; so does routing
    if (text.length > MAX_INPUT_LENGTH) return { command: this.fallback, args: text };
    const trimmed = text.trim();
    const space = trimmed.search(/\s/);
    const first = (space < 0 ? trimmed : trimmed.slice(0, space)).toLowerCase();
    const word = first.replace(WORD_END, "") || first;
    const command = this.byWord.get(word);
    if (!command) return { command: this.fallback, args: text };
    return { command, args: space < 0 ? "" : trimmed.slice(space).trim() };
  }

  /** Help says what the registered commands do, whichever way it was reached ("help", "hi", a clicked example). */
  private withUsage(m: Message): Message {
    if (m.kind !== "help") return m;
    const usage = this.commands.flatMap((c) => c.usage ?? []);
    return usage.length === 0 ? m : { ...m, lines: [...m.lines, ...usage] };
  }
}
