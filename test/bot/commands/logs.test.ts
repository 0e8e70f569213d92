// `logs` and `doctor`: the usage a bare `logs` gets, log questions asked through the command word
// (answered by the demo's query layer), and what a bot without logs says.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/app/config.ts";
import { createQuerySource } from "../../../src/app/query-source.ts";
import type { Place } from "../../../src/bot/asker.ts";
import { Bot } from "../../../src/bot/bot.ts";
import { doctorCommand } from "../../../src/bot/commands/doctor.ts";
import { kqlCommand } from "../../../src/bot/commands/kql.ts";
import { LOG_QUESTIONS, logsCommand } from "../../../src/bot/commands/logs.ts";
import { Conversation } from "../../../src/bot/conversation.ts";
import { parse } from "../../../src/bot/parse.ts";

const NOW = new Date("2026-12-01T10:15:00Z");
const CONSOLE: Place = { platform: "console" };
const ctx = { deployments: ["gpt-4o", "gpt-4o-mini", "text-embedding-3-large", "gpt-4o-ptu"] };

function conversation(withTables: boolean): Conversation {
  const source = createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: NOW });
  const bot = new Bot(source.service, undefined, withTables ? { tables: source.tables } : {});
  return new Conversation(bot, [logsCommand(), kqlCommand({ maxRows: 50 }), doctorCommand()]);
}

describe("logs", () => {
  it("lists the built-in log questions for a bare `logs`, each of which reads as a log question", async () => {
    const m = await conversation(true).say("logs", CONSOLE);
    expect(m.kind).toBe("notice");
    expect(m.actions.map((a) => a.followUp.text)).toEqual(LOG_QUESTIONS);
    for (const q of LOG_QUESTIONS) {
      const r = parse(q, ctx);
      expect(r.kind === "table" && r.question.kind, q).toBe("logs");
    }
  });

  it("asks the logs where metrics would answer", async () => {
    const m = await conversation(true).say("logs top error codes today", CONSOLE);
    expect(m.kind).toBe("answer");
    expect(m.lines).toContain("Understood: resource logs · error-codes · all deployments · today");
    expect(m.tables[0]?.data).toBeDefined();
  });

  it("answers `logs sample` with rows from the workspace", async () => {
    const m = await conversation(true).say("logs sample", CONSOLE);
    expect(m.kind).toBe("answer");
    expect(m.tables[0]?.columns).toContain("properties_s");
  });

  it("says logs are not configured on a bot built without them", async () => {
    const m = await conversation(false).say("logs sample", CONSOLE);
    expect(m).toMatchObject({ kind: "error", title: "Logs, the activity log and quota are not configured on this bot." });
    expect((await conversation(false).say("quota", CONSOLE)).title).toBe("Logs, the activity log and quota are not configured on this bot.");
  });
});

describe("help", () => {
  it("lists the logs, kql and doctor commands", async () => {
    const lines = (await conversation(true).say("help", CONSOLE)).lines.join("\n");
    expect(lines).toContain("`logs <question>`");
    expect(lines).toContain("`what changed today?`");
    expect(lines).toContain("`kql [--window 1h|24h|7d|today|yesterday] <query>`");
    expect(lines).toContain("`doctor`");
  });
});

describe("doctor", () => {
  it("says it is not configured on a bot built without the table services", async () => {
    expect((await conversation(false).say("doctor", CONSOLE)).title).toBe("Logs, the activity log and quota are not configured on this bot.");
  });
});
