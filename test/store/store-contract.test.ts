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

  it("lets a key be claimed again once it has expired", async () => {
    const s = store();
    const key = `k-${randomUUID()}`;
    expect(await s.claimOnce(key, 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(await s.claimOnce(key, 60_000)).toBe(true);
    expect(await s.claimOnce(key, 60_000)).toBe(false);
  });
});
