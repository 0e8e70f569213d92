// Question text and button values through the Conversation (routing, access, follow-up contexts, the
// parser, the demo's answers): whatever someone types or a forged button carries, the reply is a Message
// a person can read, never an exception and never the "internal" error. FUZZ_SEED=<n> replays a run.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.ts";
import { PLATFORMS } from "../../src/app/platforms.ts";
import { createQuerySource } from "../../src/app/query-source.ts";
import type { Place } from "../../src/bot/asker.ts";
import { Bot } from "../../src/bot/bot.ts";
import { ConversationContexts } from "../../src/bot/context.ts";
import { Conversation } from "../../src/bot/conversation.ts";
import { decodeFollowUp } from "../../src/bot/follow-up.ts";
import type { Message } from "../../src/bot/message.ts";
import { MAX_INPUT_LENGTH, MAX_QUESTION_LENGTH } from "../../src/bot/parse.ts";
import { scheduleCommand } from "../../src/schedules/chat-command.ts";
import { ScheduleCommands } from "../../src/schedules/commands.ts";
import { ScheduleBook } from "../../src/schedules/schedule-book.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";

const SEED = Number(process.env.FUZZ_SEED ?? (process.env.CI ? 20261202 : Date.now() % 2_147_483_647));
const NOW = new Date("2026-11-29T10:00:00Z");
const store = new SqliteStore(":memory:");
const bot = new Bot(createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: NOW }).service);
const commands = new ScheduleCommands({ book: new ScheduleBook(store, []), defaultZone: "UTC", now: () => NOW });
const conversation = new Conversation(bot, [scheduleCommand(commands, (place) => PLATFORMS.find((p) => p.name === place.platform)?.targetFor(place))], { contexts: new ConversationContexts(store) });
const PLACE: Place = { platform: "slack", workspace: "T1", channel: "C0FUZZ", user: "U1" };
/** What a turn may be: schedule commands answer with notices; everything else answers, helps or explains. */
const KINDS = ["answer", "help", "error", "notice"];

const words = fc.constantFrom(
  "latency", "429s", "errors", "tokens", "requests", "availability", "ttft", "p99", "gpt-4o", "gpt-4o-mini", "by", "deployment", "region",
  "last", "24h", "7d", "5m", "since", "yesterday", "between", "and", "top", "3", "status=429", "deployment=", "what", "about", "instead", "compared",
  "to", "the", "logs", "sample", "quota", "activity", "log", "failed", "schedule", "daily", "09:00", "UTC", "list", "pause", "delete", "help",
  "kql", "why", "blocked", "?", "!", "-1", "1e400", "0", "<@U1>", "\u0000", "\u200b", "\ufdfa", "'", '"', "=", ":", ".",
);
const typed = fc.oneof(
  { weight: 5, arbitrary: fc.array(words, { minLength: 1, maxLength: 8 }).map((w) => w.join(" ")) },
  { weight: 2, arbitrary: fc.string({ maxLength: 120 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 60 }) },
);
/** A button's value as a forged or stale request could carry it: real kinds, nonsense fields, foreign questions. */
const buttonValue = fc.record(
  {
    kind: fc.oneof(fc.constantFrom("window", "split", "refresh", "share", "ask"), fc.string({ maxLength: 8 })),
    text: typed,
    minutes: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -5, 1440, 1e12, Number.NaN)),
    question: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.record({ metric: fc.constantFrom("latency", "errors", "nonsense"), window: fc.jsonValue({ maxDepth: 2 }), split: fc.jsonValue({ maxDepth: 1 }), filters: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] })),
  },
  { requiredKeys: ["text"] },
);

function readable(m: Message): void {
  expect(KINDS).toContain(m.kind);
  expect(m.title.length).toBeGreaterThan(0);
  if (m.kind === "error") expect(m.trace?.outcome, m.title).not.toBe("internal");
}

describe(`the conversation, fuzzed (FUZZ_SEED=${SEED})`, () => {
  it("answers every sequence of typed turns with a readable message, follow-ups included", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(typed, { minLength: 1, maxLength: 4 }), fc.nat(3), async (turns, seat) => {
        // a few places, so follow-ups meet both an empty and a filled context
        const place = { ...PLACE, channel: `C0FUZZ${seat}` };
        for (const text of turns) readable(await conversation.say(text, place));
      }),
      { numRuns: 120, seed: SEED },
    );
  }, 30_000);

  it("answers every forged button value that decodes with a readable message", async () => {
    let pressed = 0;
    await fc.assert(
      fc.asyncProperty(buttonValue, async (value) => {
        const followUp = decodeFollowUp(JSON.stringify(value));
        if (!followUp) return;
        pressed += 1;
        readable(await conversation.press(followUp, PLACE));
      }),
      { numRuns: 120, seed: SEED + 1 },
    );
    // the values reached the press path, not only the decoder's refusals
    expect(pressed).toBeGreaterThan(30);
  }, 30_000);

  it("refuses overlong text, however it is made, with the parser's own limit and a hint", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 4 }), fc.integer({ min: MAX_INPUT_LENGTH + 1, max: MAX_INPUT_LENGTH * 3 }), fc.constantFrom("", "schedule ", "help ", "kql "), async (unit, length, prefix) => {
        const text = (prefix + unit.repeat(Math.ceil(length / unit.length))).slice(0, length);
        const m = await conversation.say(text, PLACE);
        expect(m).toMatchObject({ kind: "error", title: `That question is ${length} characters long; I read questions of up to ${MAX_QUESTION_LENGTH}.`, trace: { outcome: "not_understood" } });
        expect(m.lines).toEqual(["Ask one short question at a time."]);
      }),
      { numRuns: 40, seed: SEED + 2 },
    );
  });
});
