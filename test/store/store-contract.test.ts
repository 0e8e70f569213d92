import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
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
