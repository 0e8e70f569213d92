import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.ts";
import { PLATFORMS } from "../../src/app/platforms.ts";
import { createQuerySource } from "../../src/app/query-source.ts";
import type { Place } from "../../src/bot/asker.ts";
import { Bot } from "../../src/bot/bot.ts";
import { Conversation, type Command } from "../../src/bot/conversation.ts";
import { message } from "../../src/bot/message.ts";
import { renderText } from "../../src/bot/render-text.ts";
import { silentLogger, type Logger } from "../../src/log/logger.ts";
import { SCHEDULE_USAGE, scheduleCommand } from "../../src/schedules/chat-command.ts";
import { ScheduleCommands } from "../../src/schedules/commands.ts";
import type { Target } from "../../src/schedules/schedule.ts";
import { ScheduleBook } from "../../src/schedules/schedule-book.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
const CONSOLE: Place = { platform: "console" };
const SLACK: Place = { platform: "slack", workspace: "T1", channel: "C0OPS", user: "U1" };
const logged: string[] = [];
const capture: Logger = { ...silentLogger, error: (fields) => { logged.push(JSON.stringify(fields, (_k, v: unknown) => (v instanceof Error ? v.message : v))); }, child: () => capture };
const bot = new Bot(createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: NOW }).service, capture);
const targetFor = (place: Place): Target | undefined => PLATFORMS.find((p) => p.name === place.platform)?.targetFor(place);

function withSchedules(): { conversation: Conversation; book: ScheduleBook } {
  const book = new ScheduleBook(new SqliteStore(":memory:"), []);
  const commands = new ScheduleCommands({ book, defaultZone: "UTC", now: () => NOW });
  return { conversation: new Conversation(bot, [scheduleCommand(commands, targetFor)]), book };
}

describe("the command table", () => {
  it("answers a question by default", async () => {
    const m = await new Conversation(bot).say("latency gpt-4o 24h", CONSOLE);
    expect(m.kind).toBe("answer");
    expect(m.title).toBe("Latency — last 24 h");
    expect(m.figures[0]?.label).toContain("Time to response");
    expect(m.actions.map((a) => a.label)).toContain("7d");
  });

  it("helps, listing the examples and the registered commands; greetings get the same help", async () => {
    const { conversation } = withSchedules();
    for (const text of ["help", "Help?", "hello", "what can you do"]) {
      const m = await conversation.say(text, SLACK);
      expect(m.kind).toBe("help");
      expect(m.lines).toEqual(expect.arrayContaining([...SCHEDULE_USAGE]));
      expect(m.actions.map((a) => a.followUp.text)).toContain("latency gpt-4o 24h");
    }
    expect((await new Conversation(bot).say("help", SLACK)).lines).not.toEqual(expect.arrayContaining([...SCHEDULE_USAGE]));
  });

  it("leaves a help word followed by a question to the parser, as before", async () => {
    expect((await new Conversation(bot).say("help latency", CONSOLE)).kind).not.toBe("help");
  });

  it("routes schedule commands to the registered command, posting where the platform table maps the place", async () => {
    const { conversation, book } = withSchedules();
    const created = await conversation.say("schedule daily 09:00 UTC", SLACK);
    expect(created.title).toMatch(/^Daily summary scheduled: daily-[0-9a-f]{6}$/);
    expect((await book.all())[0]?.post).toEqual([{ platform: "slack", channel: "C0OPS" }]);
    expect((await book.all())[0]?.createdBy).toBe("slack:U1");
    const listed = renderText(await conversation.say("Schedules list", SLACK));
    expect(listed).toContain("Schedules for slack:C0OPS");
    expect(listed).toContain("cron `0 9 * * *` in UTC");
    expect(renderText(await conversation.say("schedule list", CONSOLE))).toContain("No schedules post to this channel yet.");
  });

  it("says where schedules can't be made instead of guessing a target", async () => {
    const { conversation } = withSchedules();
    const m = await conversation.say("schedule daily 09:00 UTC", { platform: "cli" });
    expect(m).toMatchObject({ kind: "notice", tone: "warning" });
    expect(m.lines[0]).toContain("can't be posted to cli");
  });

  it("tells adapters which commands wait on Azure", () => {
    const { conversation } = withSchedules();
    expect(conversation.commandFor("schedule list")).toMatchObject({ name: "schedule", waitsOnAzure: false });
    expect(conversation.commandFor("latency")).toMatchObject({ name: "ask", waitsOnAzure: true });
    expect(conversation.commandFor("help")).toMatchObject({ name: "help", waitsOnAzure: true });
    // overlong text is not read for a command word: the parser refuses it by its length
    expect(conversation.commandFor(`schedule ${"x".repeat(5000)}`).name).toBe("ask");
  });

  it("refuses two commands claiming one word when wired", () => {
    const twice: Command = { name: "other", words: ["schedule"], waitsOnAzure: false, access: "anyone", run: () => Promise.resolve(message("notice", "info", "x")) };
    const { conversation } = withSchedules();
    expect(() => { conversation.register(twice); }).toThrow(/"schedule" is already the schedule command's word/);
  });
});

describe("button presses go through the same entry", () => {
  it("asks the same question over another window, or split", async () => {
    const conversation = new Conversation(bot);
    expect((await conversation.press({ kind: "window", text: "latency", minutes: 1440 }, SLACK)).title).toBe("Latency — last 24 h");
    const split = await conversation.press({ kind: "split", text: "tokens 24h" }, SLACK);
    expect(split.figures.some((f) => f.breakdown !== undefined)).toBe(true);
  });

  it("routes a clicked example through the command table", async () => {
    const { conversation } = withSchedules();
    expect((await conversation.press({ kind: "ask", text: "schedule list" }, SLACK)).title).toBe("Schedules");
    expect((await conversation.press({ kind: "ask", text: "help" }, SLACK)).kind).toBe("help");
  });

  it("answers a forged window with the invalid-window error", async () => {
    const m = await new Conversation(bot).press({ kind: "window", text: "latency", minutes: -5 }, SLACK);
    expect(m).toMatchObject({ kind: "error", title: '"-5 minutes" is not a window I can query.' });
  });
});

describe("the conversation never throws", () => {
  it("turns a failing command into the error message with a reference that is in the log", async () => {
    const broken: Command = { name: "broken", words: ["broken"], waitsOnAzure: false, access: "anyone", run: () => Promise.reject(new Error("disk on fire")) };
    const m = await new Conversation(bot, [broken]).say("broken now", CONSOLE);
    expect(m.kind).toBe("error");
    expect(m.title).toContain("something went wrong on my side");
    expect(m.reference).toMatch(/^[0-9a-f]{8}$/);
    expect(logged.some((l) => l.includes(m.reference ?? "?") && l.includes("disk on fire"))).toBe(true);
  });

  it("answers when the schedule store fails", async () => {
    const store = new SqliteStore(":memory:");
    const commands = new ScheduleCommands({ book: new ScheduleBook(store, []), defaultZone: "UTC", now: () => NOW });
    await store.close();
    const m = await new Conversation(bot, [scheduleCommand(commands, targetFor)]).say("schedule list", SLACK);
    expect(m.kind).toBe("error");
    expect(m.reference).toBeDefined();
  });
});
