// The local console: one question per line at an `aoai>` prompt, answered as plain text.
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Bot } from "../../bot/bot.ts";
import { renderText } from "../../bot/render-text.ts";

export const PROMPT = "aoai> ";

export interface ConsoleOptions {
  readonly bot: Bot;
  readonly input: Readable;
  readonly output: Writable;
  /** Real terminals get line editing and history. */
  readonly terminal?: boolean;
}

/** Resolves when the person types exit/quit or closes the input (Ctrl-D). */
export async function runConsole(options: ConsoleOptions): Promise<void> {
  const rl = createInterface({ input: options.input, output: options.output, terminal: options.terminal ?? false, prompt: PROMPT, historySize: 200 });
  const write = (s: string) => options.output.write(`${s}\n`);
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === "exit" || text === "quit" || text === "\\q") break;
    if (text !== "") {
      const reply = await options.bot.ask(text, { platform: "console" });
      write(renderText(reply));
    }
    rl.prompt();
  }
  rl.close();
}
