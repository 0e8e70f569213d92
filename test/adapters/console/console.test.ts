// The console understands what chat understands, wired as the bot process wires it: help lists the
// commands, schedules made at the prompt post to the console, and a session is one conversation
// (a follow-up changes its previous question; a new session starts with none).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleText, runConsole } from "../../../src/adapters/console/console.ts";
import { converse as converseWith } from "./converse.ts";
import { startBotProcess, type BotProcess } from "../../../src/app/bot-process.ts";
import { loadConfig } from "../../../src/app/config.ts";

let proc: BotProcess;
beforeAll(async () => {
  const env = { AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-console-")), "c.sqlite") };
  proc = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env, host: "127.0.0.1", source: "demo", now: new Date("2026-11-29T10:00:00Z"), runSchedules: false, consoleOut: new PassThrough() });
});
afterAll(async () => {
  await proc.stop();
});

const converse = (lines: readonly string[]) => converseWith(proc.conversation, lines);

describe("the console", () => {
  it("answers what was pasted before the input ended, on a terminal too, and ends without an error", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = "";
    output.on("data", (chunk: Buffer) => (printed += chunk.toString("utf8")));
    const done = runConsole({ conversation: proc.conversation, input, output, terminal: true });
    input.write("latency gpt-4o 24h\nhelp\n");
    // the input ends while the first answer is still being worked out
    await new Promise((resolve) => setTimeout(resolve, 5));
    input.end();
    await expect(done).resolves.toBeUndefined();
    expect(printed).toContain("Time to response");
    expect(printed).toContain("schedule daily 09:00 Europe/Berlin");
  });

  it("makes, lists, pauses and deletes schedules that post to the console", async () => {
    const [none = "", created = "", listed = ""] = await converse(["schedule list", "schedule daily 09:00 UTC", "schedule list"]);
    expect(none).toContain("No schedules post to this channel yet.");
    const id = /Daily summary scheduled: (daily-[0-9a-f]+)/.exec(created)?.[1] ?? "";
    expect(created).toContain("Every day at 09:00 UTC in this channel.");
    expect(listed).toContain("Schedules for console");
    expect(listed).toContain(`${id}: summary, cron \`0 9 * * *\` in UTC`);
    expect((await proc.book.find(id))?.post).toEqual([{ platform: "console" }]);
    const [paused = "", deleted = ""] = await converse([`schedule pause ${id}`, `schedule delete ${id}`]);
    expect(paused).toContain(`Schedule ${id} paused`);
    expect(deleted).toContain(`Schedule ${id} deleted`);
  });

  it("helps with examples and the schedule commands, as chat does", async () => {
    const [help = ""] = await converse(["help"]);
    expect(help).toContain("latency gpt-4o 24h");
    expect(help).toContain("schedule daily 09:00 Europe/Berlin");
  });

  it("reads a pasted /aoai or a habitual aoai in front as nothing", async () => {
    expect(consoleText("/aoai latency 24h")).toBe("latency 24h");
    expect(consoleText("aoai schedule list")).toBe("schedule list");
    expect(consoleText("aoai-prod latency")).toBe("aoai-prod latency");
    const [answer = ""] = await converse(["/aoai latency"]);
    expect(answer).toContain("Time to response");
  });
});

describe("follow-ups at the console", () => {
  it("change the session's previous question; a new session has none", async () => {
    const [, yesterday = "", split = ""] = await converse(["tokens gpt-4o last hour", "what about yesterday?", "split that by region"]);
    expect(yesterday).toContain("Understood: Tokens · gpt-4o · yesterday (vs the day before)");
    expect(split).toContain("Understood: Tokens · gpt-4o · yesterday (vs the day before) · by region");
    const [fresh = ""] = await converse(["what about yesterday?"]);
    expect(fresh).toContain("There is no earlier question here");
  });
});
