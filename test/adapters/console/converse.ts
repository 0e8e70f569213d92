// Types lines into the real console loop of a bot process and returns what it printed after each
// prompt, as a person at `npm start` would read it.
import { PassThrough } from "node:stream";
import { PROMPT, runConsole } from "../../../src/adapters/console/console.ts";
import type { Conversation } from "../../../src/bot/conversation.ts";

export async function converse(conversation: Conversation, lines: readonly string[]): Promise<string[]> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk: Buffer) => (printed += chunk.toString("utf8")));
  const done = runConsole({ conversation, input, output });
  for (const line of lines) input.write(`${line}\n`);
  input.end();
  await done;
  return printed.split(PROMPT).slice(1, lines.length + 1);
}
