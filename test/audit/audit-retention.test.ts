// How long audit rows stay, and what a failing store costs: the purge deletes rows past the
// retention (at start, on its timer, every PURGE_EVERY_ROWS rows), the setting comes from the
// file or the environment, and a store that cannot be written costs the row, never the answer.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AuditLog } from "../../src/audit/audit-log.ts";
import { AuditRetention, DEFAULT_RETENTION_DAYS } from "../../src/audit/audit-retention.ts";
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource } from "../../src/app/query-source.ts";
import { Bot } from "../../src/bot/bot.ts";
import { Conversation } from "../../src/bot/conversation.ts";
import { PostgresStore } from "../../src/store/postgres-store.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import type { AuditRow } from "../../src/store/audit-row.ts";
import { silentLogger } from "../../src/log/logger.ts";
import { captureLogger } from "../support/capture-logger.ts";

const DAY = 86_400_000;
const NOW = Date.parse("2026-11-29T10:00:00Z");
const dir = mkdtempSync(join(tmpdir(), "aoai-retention-"));
let files = 0;
const stores: SqliteStore[] = [];
const freshStore = (): SqliteStore => {
  const s = new SqliteStore(join(dir, `r${String(++files)}.sqlite`));
  stores.push(s);
  return s;
};
afterAll(async () => {
  for (const s of stores) await s.close();
});

function row(at: number, question: string): AuditRow {
  return { at, kind: "say", platform: "console", command: "ask", question, outcome: "answered", requests: [], durationMs: 1 };
}

const questionsOf = async (s: SqliteStore): Promise<string[]> => (await s.auditSince(0, 1_000)).map((r) => r.question);

describe("the retention purge", () => {
  it("deletes rows older than the retention and keeps the rest", async () => {
    const s = freshStore();
    for (const days of [45, 31, 29, 1]) await s.appendAudit(row(NOW - days * DAY, `${String(days)}d`));
    const retention = new AuditRetention({ store: s, retentionDays: 30, logger: silentLogger, clock: () => NOW });
    expect(await retention.purge()).toBe(2);
    expect(await questionsOf(s)).toEqual(["1d", "29d"]);
  });

  it("runs once as it starts (a process restarted daily still purges)", async () => {
    const s = freshStore();
    await s.appendAudit(row(NOW - 8 * DAY, "old"));
    await s.appendAudit(row(NOW - DAY, "recent"));
    const audit = new AuditLog({ store: s, retentionDays: 7, logger: silentLogger, clock: () => NOW }).start();
    await audit.stop();
    expect(await questionsOf(s)).toEqual(["recent"]);
  });

  it("runs again every so many rows written, as time moves on", async () => {
    const s = freshStore();
    let now = NOW;
    const audit = new AuditLog({ store: s, retentionDays: 1, logger: silentLogger, clock: () => now, purgeEveryRows: 3 });
    const source = createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: new Date(NOW) });
    const conversation = new Conversation(new Bot(source.service, silentLogger, { tables: source.tables }), [], { observers: [audit.recorder.observer] });
    const ask = async (q: string) => {
      await conversation.say(q, { platform: "console" });
      await audit.recorder.flush();
    };
    await ask("help first");
    // two days on, the first row is past the retention; the next purge is due at the third row
    now = NOW + 2 * DAY;
    await ask("help second");
    expect(await questionsOf(s)).toEqual(["help second", "help first"]);
    await ask("help third");
    await audit.stop();
    expect(await questionsOf(s)).toEqual(["help third", "help second"]);
  });

  it("is 30 days by default, audit.retentionDays in the file, AOAI_AUDIT_RETENTION_DAYS over both", () => {
    expect(loadConfig({ env: {}, cwd: "/nonexistent" }).audit.retentionDays).toBe(DEFAULT_RETENTION_DAYS);
    const file = join(dir, "aoai.config.yaml");
    writeFileSync(file, "audit:\n  retentionDays: 90\n");
    expect(loadConfig({ env: {}, file }).audit.retentionDays).toBe(90);
    expect(loadConfig({ env: { AOAI_AUDIT_RETENTION_DAYS: "7" }, file }).audit.retentionDays).toBe(7);
  });

  it("refuses a retention that is not a whole number of days, naming the key", () => {
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "audit:\n  retentionDays: 0\n");
    expect(() => loadConfig({ env: {}, file })).toThrow(expect.objectContaining({ key: "audit.retentionDays" }) as Error);
    expect(() => loadConfig({ env: { AOAI_AUDIT_RETENTION_DAYS: "a month" }, cwd: "/nonexistent" })).toThrow(expect.objectContaining({ key: "AOAI_AUDIT_RETENTION_DAYS" }) as Error);
  });
});

describe("a store that cannot be written", () => {
  it("costs the audit row (a warning in the log), never the answer", async () => {
    const log = captureLogger();
    // nothing listens on port 1: every write is refused at once
    const down = new PostgresStore("postgres://postgres@127.0.0.1:1/test", silentLogger);
    try {
      const audit = new AuditLog({ store: down, retentionDays: 30, logger: log.logger });
      const source = createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: new Date(NOW) });
      const conversation = new Conversation(new Bot(source.service, silentLogger, { tables: source.tables }), [audit.command], { observers: [audit.recorder.observer] });
      const answer = await conversation.say("latency gpt-4o 24h", { platform: "console" });
      expect(answer.kind).toBe("answer");
      await audit.recorder.flush();
      expect(log.entries()).toContainEqual(expect.objectContaining({ level: "warn", msg: "audit row not written", component: "audit", command: "ask" }));
      // reading the log from a store that is down is the conversation's usual apology, with a reference
      const listing = await conversation.say("audit", { platform: "console" });
      expect(listing).toMatchObject({ kind: "error", trace: { outcome: "internal" } });
      expect(listing.reference).toBeDefined();
    } finally {
      await down.close();
    }
  });
});
