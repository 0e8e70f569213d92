// The conversation's follow-up context: what it remembers, for whom, for how long, and what it does
// with a record it cannot trust. Through the one conversation entry, on a real SQLite store.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource } from "../../src/app/query-source.ts";
import type { Place } from "../../src/bot/asker.ts";
import { Bot } from "../../src/bot/bot.ts";
import { CONTEXT_TTL_MS, contextKey, ConversationContexts } from "../../src/bot/context.ts";
import { Conversation } from "../../src/bot/conversation.ts";
import { decodeFollowUp, encodeFollowUp } from "../../src/bot/follow-up.ts";
import type { Message } from "../../src/bot/message.ts";
import { silentLogger } from "../../src/log/logger.ts";
import { keys } from "../../src/store/keys.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
const bot = new Bot(createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: NOW }).service, silentLogger);
const THREAD: Place = { platform: "slack", workspace: "T1", channel: "C1", thread: "1764400000.000100", user: "U1" };

function setUp() {
  const store = new SqliteStore(":memory:");
  const clock = { now: NOW.getTime() };
  const contexts = new ConversationContexts(store, { clock: () => clock.now });
  return { store, clock, contexts, conversation: new Conversation(bot, [], { contexts }) };
}
const understood = (m: Message) => m.lines.find((l) => l.startsWith("Understood:")) ?? m.title;

describe("follow-ups", () => {
  it("change the previous question: window, deployment, split, signal, comparison", async () => {
    const { conversation } = setUp();
    await conversation.say("tokens gpt-4o last hour", THREAD);
    expect(understood(await conversation.say("what about yesterday?", THREAD))).toBe("Understood: Tokens · gpt-4o · yesterday (vs the day before)");
    expect(understood(await conversation.say("and for gpt-4o-mini?", THREAD))).toBe("Understood: Tokens · gpt-4o-mini · yesterday (vs the day before)");
    expect(understood(await conversation.say("split that by region", THREAD))).toBe("Understood: Tokens · gpt-4o-mini · yesterday (vs the day before) · by region");
    expect(understood(await conversation.say("same for latency", THREAD))).toBe("Understood: Latency · gpt-4o-mini · yesterday (vs the day before) · by region");
    expect(understood(await conversation.say("overall", THREAD))).toBe("Understood: Latency · gpt-4o-mini · yesterday (vs the day before)");
    expect(understood(await conversation.say("now 7d", THREAD))).toBe("Understood: Latency · gpt-4o-mini · last 7 d (vs the previous 7 d)");
    const compared = await conversation.say("vs gpt-4o", THREAD);
    expect(understood(compared)).toBe("Understood: Latency · gpt-4o-mini vs gpt-4o · last 7 d (vs the previous 7 d)");
    expect(compared.figures).toHaveLength(2);
  });

  it("moves a verdict's focus to the deployment a follow-up names, and makes it the filter of a new signal", async () => {
    const { conversation } = setUp();
    expect((await conversation.say("is gpt-4o down?", THREAD)).summary).toMatch(/gpt-4o is /);
    expect((await conversation.say("and for gpt-4o-mini?", THREAD)).summary).toMatch(/gpt-4o-mini is /);
    expect(understood(await conversation.say("same for latency", THREAD))).toMatch(/^Understood: Latency · gpt-4o-mini · last 1 h/);
  });

  it("leaves a full question as it is, and it becomes the new context", async () => {
    const { conversation } = setUp();
    await conversation.say("tokens gpt-4o last hour", THREAD);
    expect(understood(await conversation.say("429s today", THREAD))).toBe("Understood: Rate limiting (429) · all deployments · today (vs the same time yesterday)");
    expect(understood(await conversation.say("and for gpt-4o-mini", THREAD))).toContain("Rate limiting (429) · gpt-4o-mini · today");
  });

  it("reads a bare window or deployment as a follow-up only when there is a question to follow", async () => {
    const { conversation } = setUp();
    expect(understood(await conversation.say("24h", THREAD))).toContain("Health overview · all deployments · last 24 h");
    await conversation.say("tokens gpt-4o last hour", THREAD);
    expect(understood(await conversation.say("gpt-4o-mini", THREAD))).toBe("Understood: Tokens · gpt-4o-mini · last 1 h (vs the previous hour)");
  });

  it("answers a follow-up with nothing to follow by saying so, never with another question", async () => {
    const { conversation } = setUp();
    const m = await conversation.say("what about yesterday?", THREAD);
    expect(m.kind).toBe("error");
    expect(m.title).toBe('There is no earlier question here for "what about yesterday?" to change.');
    expect(m.lines.join(" ")).toContain('Ask a full question first, e.g. "latency yesterday"');
    expect(m.actions.map((a) => a.followUp.text)).toEqual(["latency yesterday"]);
    expect(m.figures).toHaveLength(0);
  });

  it("says what it could not read in a follow-up, keeping the context", async () => {
    const { conversation } = setUp();
    await conversation.say("tokens gpt-4o last hour", THREAD);
    expect((await conversation.say("what about it?", THREAD)).title).toBe('I couldn\'t tell what "what about it?" changes in the last question.');
    expect((await conversation.say("and for gpt-5?", THREAD)).title).toContain('There is no deployment named "gpt-5"');
    expect(understood(await conversation.say("what about yesterday?", THREAD))).toContain("Tokens · gpt-4o · yesterday");
  });
});

describe("the context's scope", () => {
  it("is one person in one thread: another thread, another person, the one-shot CLI each have their own (or none)", async () => {
    const { conversation } = setUp();
    await conversation.say("tokens gpt-4o last hour", THREAD);
    for (const place of [{ ...THREAD, thread: "1764400099.000100" }, { ...THREAD, user: "U2" }, { platform: "cli" }, { ...THREAD, platform: "teams" }]) {
      expect((await conversation.say("what about yesterday?", place)).kind).toBe("error");
    }
    expect(contextKey({ platform: "cli" })).toBeUndefined();
  });

  it("keeps ids holding ':' apart (Teams conversation ids)", () => {
    expect(keys.conversationContext("teams", "t", "a:b", "c", "u")).not.toBe(keys.conversationContext("teams", "t", "a", "b:c", "u"));
  });
});

describe("expiry and records that can't be trusted", () => {
  it(`expires ${String(CONTEXT_TTL_MS / 60_000)} minutes after the last answered question`, async () => {
    const { conversation, clock } = setUp();
    await conversation.say("tokens gpt-4o last hour", THREAD);
    clock.now += CONTEXT_TTL_MS - 60_000;
    expect((await conversation.say("now 24h", THREAD)).kind).toBe("answer");
    // that answer renewed the context
    clock.now += CONTEXT_TTL_MS - 60_000;
    expect(understood(await conversation.say("what about yesterday?", THREAD))).toContain("Tokens · gpt-4o · yesterday");
    clock.now += CONTEXT_TTL_MS;
    expect((await conversation.say("and for gpt-4o-mini?", THREAD)).title).toContain("There is no earlier question here");
  });

  it.each([
    ["not JSON", "{not json"],
    ["another record version", JSON.stringify({ v: 99, at: NOW.getTime(), question: {} })],
    ["an unknown metric", JSON.stringify({ v: 1, at: NOW.getTime(), question: { topic: "x", asks: [{ metric: "Nope", aggregation: "Total", label: "x" }], window: { kind: "today" }, filters: {}, notes: [] } })],
    ["a filter value that would inject", JSON.stringify({ v: 1, at: NOW.getTime(), question: { topic: "x", asks: [{ metric: "TokenTransaction", aggregation: "Total", label: "x" }], window: { kind: "today" }, filters: { ModelDeploymentName: ["x' or 1 eq 1"] }, notes: [] } })],
    ["a window of another shape", JSON.stringify({ v: 1, at: NOW.getTime(), question: { topic: "x", asks: [{ metric: "TokenTransaction", aggregation: "Total", label: "x" }], window: { kind: "fortnight" }, filters: {}, notes: [] } })],
    ["a time far in the future", JSON.stringify({ v: 1, at: NOW.getTime() + 10 * CONTEXT_TTL_MS, question: { topic: "x", asks: [{ metric: "TokenTransaction", aggregation: "Total", label: "x" }], window: { kind: "today" }, filters: {}, notes: [] } })],
  ])("ignores a record holding %s", async (_what, raw) => {
    const { conversation, store } = setUp();
    await store.put(contextKey(THREAD) ?? "", raw);
    const m = await conversation.say("what about yesterday?", THREAD);
    expect(m.title).toContain("There is no earlier question here");
  });

  it("sweeps expired and unreadable records out of the store, keeping live ones", async () => {
    const { contexts, store, clock, conversation } = setUp();
    await conversation.say("tokens gpt-4o last hour", THREAD);
    clock.now += CONTEXT_TTL_MS + 1;
    await conversation.say("latency", { ...THREAD, thread: "2" });
    await store.put(contextKey({ ...THREAD, thread: "3" }) ?? "", "garbage");
    expect(await contexts.sweep()).toBe(2);
    expect(await store.keys(keys.conversationContextPrefix)).toEqual([contextKey({ ...THREAD, thread: "2" })]);
  });
});

describe("buttons under a follow-up's answer", () => {
  it("carry the merged question, and a press becomes the context", async () => {
    const { conversation } = setUp();
    await conversation.say("tokens gpt-4o last hour", THREAD);
    const followUp = await conversation.say("what about yesterday?", THREAD);
    const sevenDays = followUp.actions.find((a) => a.label === "7d")?.followUp;
    const decoded = decodeFollowUp(encodeFollowUp(sevenDays ?? { kind: "ask", text: "" }));
    expect(decoded).toMatchObject({ kind: "window", minutes: 10080, question: { topic: "Tokens", filters: { ModelDeploymentName: ["gpt-4o"] } } });
    expect(understood(await conversation.press(decoded ?? { kind: "ask", text: "" }, THREAD))).toBe("Understood: Tokens · gpt-4o · last 7 d (vs the previous 7 d)");
    expect(understood(await conversation.say("same for latency", THREAD))).toBe("Understood: Latency · gpt-4o · last 7 d (vs the previous 7 d)");
  });

  it("drop a forged question and ask the button's text instead", () => {
    const forged = JSON.stringify({ kind: "window", text: "latency", minutes: 60, question: { topic: "x", asks: [{ metric: "TokenTransaction", aggregation: "Total", label: "x" }], window: { kind: "today" }, filters: { Region: ["'; drop"] }, notes: [] } });
    expect(decodeFollowUp(forged)).toEqual({ kind: "window", text: "latency", minutes: 60 });
  });
});
