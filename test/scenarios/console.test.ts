import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { PROMPT, runConsole } from "../../src/adapters/console/console.ts";
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource } from "../../src/app/query-source.ts";
import { tableCommands } from "../../src/app/chat-commands.ts";
import { Bot } from "../../src/bot/bot.ts";
import { Conversation } from "../../src/bot/conversation.ts";
import { SCENARIO_NOW, SCENARIOS } from "./scenarios.ts";

/** Types lines at the console and returns what it printed for each. */
async function converse(lines: readonly string[]): Promise<string[]> {
  const config = loadConfig({ env: {}, cwd: "/nonexistent" });
  const source = createQuerySource(config, { source: "demo", now: SCENARIO_NOW });
  const bot = new Bot(source.service, undefined, { verdict: config.verdict, tables: source.tables });
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk: Buffer) => (printed += chunk.toString("utf8")));
  const done = runConsole({ conversation: new Conversation(bot, tableCommands(bot, config)), input, output });
  for (const line of lines) input.write(`${line}\n`);
  input.end();
  await done;
  return printed.split(PROMPT).slice(1, lines.length + 1);
}

describe("console driver", () => {
  it.each(SCENARIOS)("$name", async (scenario) => {
    const [reply = ""] = await converse([scenario.say]);
    for (const text of scenario.shows) expect(reply).toContain(text);
    for (const text of scenario.never ?? []) expect(reply).not.toContain(text);
    if (scenario.kind === "error") expect(reply).not.toMatch(/at .*\.ts:\d+/);
  });

  it("keeps answering after bad input, and stops at exit", async () => {
    const replies = await converse(["\u0000\u0001 ☃", "'; DROP TABLE", "latency", "exit", "latency"]);
    expect(replies[0]).toContain("I couldn't tell");
    expect(replies[1]).toContain("I couldn't tell");
    expect(replies[2]).toContain("Time to response");
    expect(replies).toHaveLength(4);
  });
});
