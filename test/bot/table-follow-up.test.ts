// Follow-ups that ask a table question ("same for p95 latency", "what about quota?") keep the
// previous question's deployments and window; a table question asked on its own is read as it is.
// Through the one conversation entry, on a real SQLite store, with the demo's query layer.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource } from "../../src/app/query-source.ts";
import type { Place } from "../../src/bot/asker.ts";
import { Bot } from "../../src/bot/bot.ts";
import { ConversationContexts } from "../../src/bot/context.ts";
import { Conversation } from "../../src/bot/conversation.ts";
import type { Message } from "../../src/bot/message.ts";
import { silentLogger } from "../../src/log/logger.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";

const NOW = new Date("2026-12-01T10:15:00Z");
const source = createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: NOW });
const bot = new Bot(source.service, silentLogger, { tables: source.tables });
const THREAD: Place = { platform: "slack", workspace: "T1", channel: "C1", thread: "1764583000.000100", user: "U1" };
const understood = (m: Message) => m.lines.find((l) => l.startsWith("Understood:")) ?? m.title;

function conversation(): Conversation {
  return new Conversation(bot, [], { contexts: new ConversationContexts(new SqliteStore(":memory:")) });
}

describe("table questions in a conversation", () => {
  it("reads a percentile follow-up over the previous question's deployment and window", async () => {
    const c = conversation();
    expect(understood(await c.say("latency gpt-4o-mini today", THREAD))).toMatch(/^Understood: Latency · gpt-4o-mini · today/);
    const m = await c.say("same for p95 latency", THREAD);
    expect(understood(m)).toBe("Understood: resource logs · percentiles · p95 · gpt-4o-mini · today");
    expect(m.tables[0]?.columns).toContain("p95_ms");
  });

  it("reads quota after a metric question for the same deployment and window", async () => {
    const c = conversation();
    await c.say("429s for gpt-4o-mini last 24h", THREAD);
    expect(understood(await c.say("what about quota?", THREAD))).toBe("Understood: quota · gpt-4o-mini · last 24 h");
  });

  it("reads a table question that names its own deployment and window as asked", async () => {
    const c = conversation();
    await c.say("latency gpt-4o today", THREAD);
    expect(understood(await c.say("and the last 5 failed requests for gpt-4o-mini in the last 30 minutes", THREAD))).toBe("Understood: resource logs · failed-requests · last 5 · gpt-4o-mini · last 30 min");
  });

  it("asks a table question without a lead as it is", async () => {
    const c = conversation();
    await c.say("latency gpt-4o today", THREAD);
    expect(understood(await c.say("who changed gpt-4o this week?", THREAD))).toMatch(/^Understood: activity log · gpt-4o · this week/);
  });
});
