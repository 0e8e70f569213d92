// The console session is one conversation: a follow-up at the prompt changes the session's previous
// question; a new session starts with none.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROMPT, runConsole } from "../../../src/adapters/console/console.ts";
import { startBotProcess, type BotProcess } from "../../../src/app/bot-process.ts";
import { loadConfig } from "../../../src/app/config.ts";

let proc: BotProcess;
beforeAll(async () => {
  const env = { AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-console-fu-")), "c.sqlite") };
  proc = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env, host: "127.0.0.1", source: "demo", now: new Date("2026-11-29T10:00:00Z"), runSchedules: false, consoleOut: new PassThrough() });
});
afterAll(async () => {
  await proc.stop();
});

async function session(lines: readonly string[]): Promise<string[]> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk: Buffer) => (printed += chunk.toString("utf8")));
  const done = runConsole({ conversation: proc.conversation, input, output });
  for (const line of lines) input.write(`${line}\n`);
  input.end();
  await done;
  return printed.split(PROMPT).slice(1, lines.length + 1);
}

describe("follow-ups at the console", () => {
  it("change the session's previous question; a new session has none", async () => {
    const [, yesterday = "", split = ""] = await session(["tokens gpt-4o last hour", "what about yesterday?", "split that by region"]);
    expect(yesterday).toContain("Understood: Tokens · gpt-4o · yesterday (vs the day before)");
    expect(split).toContain("Understood: Tokens · gpt-4o · yesterday (vs the day before) · by region");
    const [fresh = ""] = await session(["what about yesterday?"]);
    expect(fresh).toContain("There is no earlier question here");
  });
});
