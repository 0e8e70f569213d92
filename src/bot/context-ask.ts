// Asking with the conversation's context: a follow-up ("what about yesterday?") is merged into the
// question last answered in the same place; any other text is asked as it is and becomes the new
// context. Button presses update the context too. Never throws, like the bot it wraps.
import type { Question } from "../queries/question.ts";
import type { Place } from "./asker.ts";
import type { Bot } from "./bot.ts";
import { CONTEXT_TTL_MS, type ConversationContexts } from "./context.ts";
import { followUpWindow, type FollowUp } from "./follow-up.ts";
import { mergeFollowUp, NoContextError, readFollowUp, type FollowUpReading } from "./follow-up-parse.ts";
import type { Message } from "./message.ts";
import type { Reply } from "./reply.ts";
import { UserError } from "../queries/errors.ts";
import type { TableQuestion } from "../queries/table-questions.ts";
import { normalize, parse, type ParseContext } from "./parse.ts";
import { extractWindow } from "./time-phrases.ts";
import { rescoped } from "./table-parse.ts";

/** A reply, and the question to put in its buttons when its text alone does not ask it. */
export interface ContextReply {
  readonly reply: Reply;
  readonly merged?: Question;
}

export class ContextualAsker {
  private readonly bot: Bot;
  private readonly contexts: ConversationContexts | undefined;

  /** Without `contexts` (the one-shot CLI) nothing is remembered: a follow-up is told there is nothing to follow. */
  constructor(bot: Bot, contexts?: ConversationContexts) {
    this.bot = bot;
    this.contexts = contexts;
  }

  async ask(text: string, place: Place): Promise<ContextReply> {
    try {
      const { resources, context } = await this.bot.vocabulary();
      const reading = readFollowUp(text, context);
      if (reading.kind === "full") return { reply: await this.answered(place, this.bot.ask(text, place)) };
      const previous = await this.contexts?.recall(place);
      if (!previous) {
        // "7d" or "gpt-4o-mini" with nothing to follow is a question of its own, as it always was
        if (reading.kind === "follow-up" && !reading.marked) return { reply: await this.answered(place, this.bot.ask(text, place)) };
        return { reply: this.bot.failure(new NoContextError(text, exampleFor(reading, text), CONTEXT_TTL_MS / 60_000), text) };
      }
      if (reading.kind === "unreadable") {
        // "same for p95 latency", "what about quota?": a table question over the previous one's deployments and window
        const table = tableFollowUp(reading.body, previous, context);
        if (table) return { reply: await this.bot.answer(table, undefined, resources.length > 0 ? resources : undefined) };
        return { reply: this.bot.failure(reading.error, text) };
      }
      const merged = mergeFollowUp(previous, reading);
      return { reply: await this.answered(place, this.bot.answer(merged, undefined, resources.length > 0 ? resources : undefined)), merged };
    } catch (err) {
      return { reply: this.bot.failure(err, text) };
    }
  }

  /** A button under an answer: its question (carried in the button, or asked again from its text) with the change it names. */
  async press(f: FollowUp, place: Place): Promise<ContextReply> {
    try {
      const question = f.kind === "window" || f.kind === "split" || f.kind === "refresh" ? f.question : undefined;
      if (!question) return { reply: await this.answered(place, this.bot.followUp(f, place)) };
      let changed: Question;
      if (f.kind === "window") changed = mergeFollowUp(question, { mode: "replace", parts: { window: followUpWindow(f), filters: {}, drops: [] } });
      else if (f.kind === "split") changed = mergeFollowUp(question, { mode: "replace", parts: { splitBy: "ModelDeploymentName", filters: {}, drops: [] } });
      else changed = question;
      return { reply: await this.answered(place, this.bot.answer(changed)), merged: changed };
    } catch (err) {
      return { reply: this.bot.failure(err, f.text) };
    }
  }

  /** An answered question becomes the place's context; help and errors leave the context as it was. */
  private async answered(place: Place, pending: Promise<Reply>): Promise<Reply> {
    const reply = await pending;
    if (reply.kind === "answer") await this.contexts?.remember(place, reply.question);
    return reply;
  }
}

/**
 * A follow-up whose body is a table question (logs, activity log, quota): it keeps the previous
 * question's deployments and window unless it names its own. Undefined when the body is not one.
 */
export function tableFollowUp(body: string, previous: Question, context: ParseContext): TableQuestion | undefined {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(body, context);
  } catch (err) {
    if (err instanceof UserError) return undefined;
    throw err;
  }
  if (parsed.kind !== "table" || parsed.question.kind === "kql") return undefined;
  const q = parsed.question;
  const window = extractWindow(normalize(body)) === undefined ? previous.window : q.window;
  const named = previous.filters.ModelDeploymentName ?? previous.verdict?.focus ?? [];
  return rescoped(q, window, q.deployments.length > 0 ? q.deployments : named);
}

/** A full question that asks what the follow-up wanted: "latency yesterday" for "what about yesterday?". */
function exampleFor(reading: Exclude<FollowUpReading, { readonly kind: "full" }>, text: string): string {
  if (reading.kind === "follow-up" && reading.parts.metric) return reading.body;
  const body = reading.body === "" ? text.trim().toLowerCase().replace(/[?!.]+$/, "") : reading.body;
  return `latency ${body}`.trim();
}

/**
 * The answer's buttons carry the merged question: its text ("what about yesterday?") alone would be
 * read from scratch by whichever replica serves the click, and the context may have moved on by then.
 */
export function withQuestion(m: Message, question: Question | undefined): Message {
  if (!question) return m;
  return { ...m, actions: m.actions.map((a) => (a.followUp.kind === "window" || a.followUp.kind === "split" || a.followUp.kind === "refresh" ? { ...a, followUp: { ...a.followUp, question } } : a)) };
}
