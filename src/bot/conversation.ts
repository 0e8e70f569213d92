// The one conversation entry: every surface (Slack, Teams, the console, `aoai ask`, later the web)
// hands it plain text (platform markup already stripped by the adapter) and the Place it came from,
// and gets one neutral Message back. It picks the command from a table by the first word; "ask" is
// the default. It never throws: a failure becomes the error Message with a reference for the log.
// Access is decided here, once per turn: the place's Grant says which commands may run and which
// resources and deployments the turn's Bot view (Bot.within) reads.
import { AccessPolicy } from "../access/policy.ts";
import type { AccessCommand } from "../access/commands.ts";
import type { Place } from "./asker.ts";
import type { Bot } from "./bot.ts";
import type { Command, CommandAccess } from "./commands/command.ts";
import { askCommand } from "./commands/ask.ts";
import { helpCommand } from "./commands/help.ts";
import { composeReply } from "./compose.ts";
import { ContextualAsker, withQuestion } from "./context-ask.ts";
import type { ConversationContexts } from "./context.ts";
import type { FollowUp } from "./follow-up.ts";
import type { Message } from "./message.ts";
import { MAX_INPUT_LENGTH } from "./parse.ts";
import { TurnAccess } from "./turn-access.ts";
import { currentRequestId, inRequest } from "../log/request-context.ts";

export type { Command, CommandCall } from "./commands/command.ts";

/** One finished turn, as observers (the audit log, service metrics) see it. */
export interface Turn {
  readonly kind: "say" | "press";
  readonly place: Place;
  /** What was typed, or the pressed button's question. */
  readonly text: string;
  /** The command row that ran ("ask", "schedule", …). */
  readonly command: string;
  readonly message: Message;
  readonly durationMs: number;
  /** The request id the turn ran under (src/log/request-context.ts). */
  readonly requestId: string | undefined;
  /** What access decided for the turn: by which rule (or the default policy), and what it refused. */
  readonly access: TurnAccessRecord;
}

export interface TurnAccessRecord {
  /** `rule "payments"`, `the default policy (…)`. */
  readonly decidedBy: string;
  readonly rule?: string;
  /** The command refused, when the turn was denied (the message then says so, with code access_denied or kql_not_allowed). */
  readonly denied?: AccessCommand;
}

/** Told of every turn after it is answered; must not throw (a throw is dropped, the answer stands). */
export type TurnObserver = (turn: Turn) => void;

export interface ConversationOptions {
  /** Where follow-ups find the previous question (absent, as in the one-shot CLI: a follow-up is told there is nothing to follow). */
  readonly contexts?: ConversationContexts;
  readonly observers?: readonly TurnObserver[];
  /** Who may do what, where (access: in the configuration); absent: everything is allowed everywhere, raw KQL to nobody. */
  readonly access?: AccessPolicy;
}

/** Trailing punctuation people type after a command word ("help?", "schedule:"). */
const WORD_END = /[?!.,;:]+$/;

export class Conversation {
  private readonly bot: Bot;
  private readonly byWord = new Map<string, Command>();
  private readonly commands: Command[] = [];
  private readonly fallback: Command;
  private readonly contexts: ConversationContexts | undefined;
  private readonly observers: TurnObserver[];
  private readonly access: AccessPolicy;

  /** `commands` are registered at wiring time (e.g. "schedule", which needs the store and the platform table). */
  constructor(bot: Bot, commands: readonly Command[] = [], options: ConversationOptions = {}) {
    this.bot = bot;
    this.contexts = options.contexts;
    this.observers = [...(options.observers ?? [])];
    this.access = options.access ?? new AccessPolicy({ localEverywhere: true });
    this.fallback = askCommand();
    for (const c of [helpCommand(), ...commands]) this.register(c);
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

  /** Adds an observer of finished turns (wiring: the audit log, service metrics). */
  observe(observer: TurnObserver): void {
    this.observers.push(observer);
  }

  /** One turn: what someone typed, answered. */
  say(text: string, place: Place): Promise<Message> {
    return inRequest(async () => {
      const started = performance.now();
      const { command, args } = this.route(text);
      const access = this.accessAt(place);
      const bot = this.bot.within(access);
      let m: Message;
      try {
        const needed = this.needed(command, args, access);
        m = needed !== undefined && !access.allows(needed) ? composeReply(bot.failure(access.deny(needed), text), text) : this.withUsage(await command.run({ text, args, place, bot, contextual: new ContextualAsker(bot, this.contexts) }));
      } catch (err) {
        m = composeReply(this.bot.failure(err, text), text);
      }
      this.told({ kind: "say", place, text, command: command.name, message: m, durationMs: performance.now() - started, requestId: currentRequestId(), access: record(access) });
      return m;
    });
  }

  /** A button under an earlier message: another window, a split, a refresh, a clicked example, a share. */
  press(followUp: FollowUp, place: Place): Promise<Message> {
    if (followUp.kind === "ask" || followUp.kind === "share" || (followUp.kind === "refresh" && !followUp.question)) return this.say(followUp.text, place);
    return inRequest(async () => {
      const started = performance.now();
      const access = this.accessAt(place);
      const bot = this.bot.within(access);
      let m: Message;
      try {
        // the button's question is checked by the turn's bot view (its kind, the deployments it names);
        // the answer becomes the place's context, as a typed question's does
        const { reply, merged } = await new ContextualAsker(bot, this.contexts).press(followUp, place);
        m = withQuestion(composeReply(reply, followUp.text), merged);
      } catch (err) {
        m = composeReply(this.bot.failure(err, followUp.text), followUp.text);
      }
      this.told({ kind: "press", place, text: followUp.text, command: "ask", message: m, durationMs: performance.now() - started, requestId: currentRequestId(), access: record(access) });
      return m;
    });
  }

  private accessAt(place: Place): TurnAccess {
    return new TurnAccess(this.access.grantFor(place), place, { ...(this.access.contact === undefined ? {} : { contact: this.access.contact }), kqlUsers: this.access.kqlUsers });
  }

  /**
   * The command the grant must allow before `command` runs; undefined when the bot decides after
   * parsing ("question") or nothing is needed. A place allowed nothing gets nothing, help included:
   * help lists deployments.
   */
  private needed(command: Command, args: string, access: TurnAccess): AccessCommand | undefined {
    const declared: CommandAccess = typeof command.access === "function" ? command.access(args) : command.access;
    if (access.grant.allows.size === 0) return declared === "question" || declared === "anyone" ? "ask" : declared;
    return declared === "question" || declared === "anyone" ? undefined : declared;
  }

  private told(turn: Turn): void {
    for (const observe of this.observers) {
      try {
        observe(turn);
      } catch {
        // an observer's failure (a full audit table, a metrics bug) never costs the person their answer
      }
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

function record(access: TurnAccess): TurnAccessRecord {
  const { decidedBy, rule } = access.grant;
  return { decidedBy, ...(rule === undefined ? {} : { rule }), ...(access.denied === undefined ? {} : { denied: access.denied }) };
}
