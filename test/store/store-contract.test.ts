import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { AUDIT_QUESTION_CHARS, type AuditRow } from "../../src/store/audit-row.ts";
import { PostgresStore } from "../../src/store/postgres-store.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import type { Store } from "../../src/store/store.ts";

// The machine's PostgreSQL (trust auth, database `test`); CI relies on it too.
const PG_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const sqliteFile = join(mkdtempSync(join(tmpdir(), "aoai-store-")), "store.sqlite");

const backends: { name: string; open: () => Store }[] = [
  { name: "sqlite", open: () => new SqliteStore(sqliteFile) },
  { name: "postgres", open: () => new PostgresStore(PG_URL) },
];

describe.each(backends)("$name store", ({ open }) => {
  const opened: Store[] = [];
  const store = () => {
    const s = open();
    opened.push(s);
    return s;
  };
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
  });

  it("lets the first claim of a key win and refuses the rest", async () => {
    const s = store();
    const key = `k-${randomUUID()}`;
    expect(await s.claimOnce(key, 60_000)).toBe(true);
    expect(await s.claimOnce(key, 60_000)).toBe(false);
  });

  it("gives exactly one win to many concurrent claims from two replicas", async () => {
    const a = store();
    const b = store();
    const key = `k-${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).claimOnce(key, 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("keeps records, replaces them, and lists them by prefix", async () => {
    const s = store();
    const ns = `conv-${randomUUID()}`;
    expect(await s.get(`${ns}:a`)).toBeUndefined();
    await s.put(`${ns}:a`, '{"v":1}');
    await s.put(`${ns}:a`, '{"v":2}');
    await s.put(`${ns}:b_%`, "x");
    expect(await s.get(`${ns}:a`)).toBe('{"v":2}');
    expect(await s.keys(`${ns}:`)).toEqual([`${ns}:a`, `${ns}:b_%`]);
    expect(await s.keys(`${ns}:b_`)).toEqual([`${ns}:b_%`]);
    expect(await s.keys(`${ns}:%`)).toEqual([]);
  });

  it("gives each schedule slot to exactly one of many concurrent claimers", async () => {
    const a = store();
    const b = store();
    const key = `daily:${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).claimRun(key, `replica-${i}`, 60_000)));
    expect(results.filter((r) => r.claimed)).toHaveLength(1);
  });

  it("never hands out a finished slot again", async () => {
    const s = store();
    const key = `daily:${randomUUID()}`;
    expect(await s.claimRun(key, "a", 60_000)).toEqual({ claimed: true, attempt: 1 });
    expect(await s.finishRun(key, "a", "done", "posted slack:C1:1.2")).toBe(true);
    expect((await s.claimRun(key, "b", 60_000)).claimed).toBe(false);
    expect(await s.getRun(key)).toMatchObject({ owner: "a", status: "done", outcome: "posted slack:C1:1.2", attempt: 1 });
  });

  it("lets another replica take over a claim whose lease ran out, and fences off the old owner", async () => {
    const s = store();
    const key = `daily:${randomUUID()}`;
    expect((await s.claimRun(key, "dead", 1)).claimed).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(await s.claimRun(key, "survivor", 60_000)).toEqual({ claimed: true, attempt: 2 });
    expect(await s.finishRun(key, "dead", "done", "late")).toBe(false);
    expect(await s.finishRun(key, "survivor", "done", "ok")).toBe(true);
  });

  it("lets a failed run (nothing delivered) be claimed again after its delay, a bounded number of times", async () => {
    const s = store();
    const key = `daily:${randomUUID()}`;
    expect((await s.claimRun(key, "a", 60_000)).claimed).toBe(true);
    expect(await s.finishRun(key, "a", "failed", "Azure 500", 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(await s.claimRun(key, "b", 60_000)).toEqual({ claimed: true, attempt: 2 });
    expect(await s.getRun(key)).toMatchObject({ status: "claimed", outcome: null, owner: "b" });
    expect(await s.finishRun(key, "b", "failed", "Azure 500", 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect((await s.claimRun(key, "c", 60_000)).claimed).toBe(true);
    expect(await s.finishRun(key, "c", "failed", "Azure 500", 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    // three attempts in all
    expect((await s.claimRun(key, "d", 60_000)).claimed).toBe(false);
  });

  it("lists ledger keys of a schedule oldest first, and forgets records on delete", async () => {
    const s = store();
    const name = `sched-${randomUUID()}`;
    for (const slot of ["2026-11-29T09:00:00.000Z", "2026-11-27T09:00:00.000Z", "2026-11-28T09:00:00.000Z"]) await s.claimRun(`${name}:${slot}`, "a", 60_000);
    expect(await s.runKeys(`${name}:`)).toEqual([`${name}:2026-11-27T09:00:00.000Z`, `${name}:2026-11-28T09:00:00.000Z`, `${name}:2026-11-29T09:00:00.000Z`]);
    await s.put(`${name}:v`, "1");
    await s.delete(`${name}:v`);
    expect(await s.get(`${name}:v`)).toBeUndefined();
  });

  it("lets a key be claimed again once it has expired", async () => {
    const s = store();
    const key = `k-${randomUUID()}`;
    expect(await s.claimOnce(key, 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(await s.claimOnce(key, 60_000)).toBe(true);
    expect(await s.claimOnce(key, 60_000)).toBe(false);
  });

  it("claims, keeps and finds keys of any length or content, NUL and 10 KB ids included", async () => {
    const s = store();
    const long = `slack:event:${randomUUID()}:${"x".repeat(10_000)}`;
    const sameStart = `${long.slice(0, 5_000)}y`;
    const nul = `teams:activity:${randomUUID()}\0a`;
    for (const key of [long, sameStart, nul, `${nul}b`]) {
      expect(await s.claimOnce(key, 60_000)).toBe(true);
      expect(await s.claimOnce(key, 60_000)).toBe(false);
    }
    const ns = `conv-${randomUUID()}`;
    await s.put(`${ns}:${"é".repeat(3_000)}`, "long");
    await s.put(`${ns}:a\0b`, "nul");
    expect(await s.get(`${ns}:${"é".repeat(3_000)}`)).toBe("long");
    expect(await s.get(`${ns}:a\0b`)).toBe("nul");
    expect(await s.get(`${ns}:a\0c`)).toBeUndefined();
    // listed under their readable start, and a listed key reads back as it is
    const listed = await s.keys(`${ns}:`);
    expect(listed).toHaveLength(2);
    for (const key of listed) {
      expect(Buffer.byteLength(key)).toBeLessThanOrEqual(200);
      expect(key.startsWith(`${ns}:`)).toBe(true);
      expect(await s.get(key)).toMatch(/^(long|nul)$/);
    }
    expect(await s.keys(`${ns}:a\0`)).toEqual([]);
    const run = `daily:${randomUUID()}:${"z".repeat(5_000)}`;
    expect(await s.claimRun(run, "a", 60_000)).toEqual({ claimed: true, attempt: 1 });
    expect(await s.finishRun(run, "a", "done", "ok")).toBe(true);
    expect(await s.getRun(run)).toMatchObject({ status: "done", outcome: "ok" });
  });

  it("answers a ping", async () => {
    await expect(store().ping()).resolves.toBeUndefined();
  });
});

describe("both stores", () => {
  it("store a long or NUL-carrying key under the same name", async () => {
    const sqlite = new SqliteStore(sqliteFile);
    const postgres = new PostgresStore(PG_URL);
    try {
      const ns = `same-${randomUUID()}`;
      const names: string[][] = [];
      for (const s of [sqlite, postgres]) {
        await s.put(`${ns}:${"q".repeat(4_000)}`, "1");
        await s.put(`${ns}:x\0y`, "2");
        names.push(await s.keys(`${ns}:`));
      }
      expect(names[0]).toHaveLength(2);
      expect(names[1]).toEqual(names[0]);
    } finally {
      await sqlite.close();
      await postgres.close();
    }
  });
});

/** A database of its own for the audit rows: the shared `test` database holds other runs' rows, and purges reach every row. */
async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const name = `aoai_audit_${randomUUID().replace(/-/g, "")}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

const auditBackends: { name: string; open: () => Promise<{ store: Store; done: () => Promise<void> }> }[] = [
  {
    name: "sqlite",
    open: () => {
      const store = new SqliteStore(join(mkdtempSync(join(tmpdir(), "aoai-audit-")), "audit.sqlite"));
      return Promise.resolve({ store, done: () => store.close() });
    },
  },
  {
    name: "postgres",
    open: async () => {
      const db = await freshPostgres();
      const store = new PostgresStore(db.url);
      return {
        store,
        done: async () => {
          await store.close();
          await db.drop();
        },
      };
    },
  },
];

const T0 = Date.parse("2026-11-29T10:00:00Z");

function row(at: number, over: Partial<AuditRow> = {}): AuditRow {
  return { at, requestId: `r${String(at)}`, kind: "say", platform: "slack", workspace: "T1", channel: "C1", user: "U1", command: "ask", question: "latency 24h", outcome: "answered", requests: ["metrics aoai-prod AzureOpenAITimeToResponse Average PT15M"], durationMs: 42, ...over };
}

describe.each(auditBackends)("$name audit log", ({ open }) => {
  const opened: (() => Promise<void>)[] = [];
  const fresh = async (): Promise<Store> => {
    const { store, done } = await open();
    opened.push(done);
    return store;
  };
  afterAll(async () => {
    for (const done of opened) await done();
  });

  it("keeps every field of a row as written, absent parts absent", async () => {
    const s = await fresh();
    const full = row(T0, { org: "T2", team: "19:team", decidedBy: 'rule "payments"', reference: "ref-1", kind: "press", requests: ["metrics a", "logs b"] });
    const bare: AuditRow = { at: T0 + 1, kind: "say", platform: "console", command: "help", question: "help", outcome: "help", requests: [], durationMs: 0 };
    await s.appendAudit(full);
    await s.appendAudit(bare);
    expect(await s.auditSince(T0, 10)).toEqual([bare, full]);
  });

  it("lists newest first from the given time on, at most the limit, rows of one millisecond in the order written", async () => {
    const s = await fresh();
    for (const [i, at] of [T0 - 60_000, T0 + 2_000, T0 + 1_000, T0 + 3_000, T0 + 3_000].entries()) await s.appendAudit(row(at, { question: `q${String(i)}` }));
    expect((await s.auditSince(T0, 10)).map((r) => r.question)).toEqual(["q4", "q3", "q1", "q2"]);
    expect((await s.auditSince(T0, 2)).map((r) => r.question)).toEqual(["q4", "q3"]);
    expect((await s.auditSince(T0 - 60_000, 100)).map((r) => r.question)).toEqual(["q4", "q3", "q1", "q2", "q0"]);
  });

  it("purges rows older than the cut-off only, and says how many went", async () => {
    const s = await fresh();
    const day = 86_400_000;
    for (const age of [31, 30.5, 29, 1, 0]) await s.appendAudit(row(T0 - age * day, { question: `${String(age)} days old` }));
    expect(await s.purgeAudit(T0 - 30 * day)).toBe(2);
    expect((await s.auditSince(0, 100)).map((r) => r.question)).toEqual(["0 days old", "1 days old", "29 days old"]);
    expect(await s.purgeAudit(T0 - 30 * day)).toBe(0);
  });

  it("keeps hostile text as text: quotes, SQL, NUL (taken out), emoji, and cuts a very long question", async () => {
    const s = await fresh();
    const hostile = `latency'); DROP TABLE aoai_audit; -- "quoted" \\ back\0slash 🎉 é`;
    await s.appendAudit(row(T0, { question: hostile, user: "U\0X", requests: ["logs law \0 AzureDiagnostics | where x == 'y'"] }));
    await s.appendAudit(row(T0 + 1, { question: "🎉".repeat(5_000) }));
    const [long, kept] = await s.auditSince(T0, 10);
    expect(kept?.question).toBe(hostile.replaceAll("\0", ""));
    expect(kept?.user).toBe("UX");
    expect(kept?.requests).toEqual(["logs law  AzureDiagnostics | where x == 'y'"]);
    // cut at whole code points, the cut said with …
    expect(Array.from(long?.question ?? "")).toHaveLength(AUDIT_QUESTION_CHARS);
    expect(long?.question.endsWith("🎉…")).toBe(true);
  });
});
