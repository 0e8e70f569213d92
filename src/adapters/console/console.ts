// The local console: one line at an `aoai>` prompt (a question, "help", "schedule …": whatever chat
// understands), answered as plain text. Schedules made here post to the console.
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Place } from "../../bot/asker.ts";
import type { Conversation } from "../../bot/conversation.ts";
import { renderText } from "../../bot/render-text.ts";

export const PROMPT = "aoai> ";
/** "/aoai latency", "aoai latency": what people paste from Slack or type from habit. */
const PREFIX = /^[/@]?aoai(?:\s+|$)/i;

export interface ConsoleOptions {
  readonly conversation: Conversation;
  readonly input: Readable;
  readonly output: Writable;
  /** Real terminals get line editing and history. */
  readonly terminal?: boolean;
  /** Names this run of the prompt, which follow-ups ("what about yesterday?") stay within; a new one each run by default. */
  readonly session?: string;
}

/** Resolves when the person types exit/quit or closes the input (Ctrl-D). */
export async function runConsole(options: ConsoleOptions): Promise<void> {
  const rl = createInterface({ input: options.input, output: options.output, terminal: options.terminal ?? false, prompt: PROMPT, historySize: 200 });
  const write = (s: string) => options.output.write(`${s}\n`);
  // one session is one conversation: its follow-ups change its own previous question
  const place: Place = { platform: "console", thread: options.session ?? randomUUID() };
  // input pasted or piped ends (EOF) while an answer is still being worked out: the lines already read
  // are still answered, but a closed prompt cannot be shown again
  let closed = false;
  rl.once("close", () => {
    closed = true;
  });
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === "exit" || text === "quit" || text === "\\q") break;
    if (text !== "") {
      write(renderText(await options.conversation.say(consoleText(text), place)));
    }
    if (!closed) rl.prompt();
  }
  rl.close();
}

/** The line as the conversation reads it: without a leading `aoai` or `/aoai`. */
export function consoleText(line: string): string {
  return line.trim().replace(PREFIX, "");
}
