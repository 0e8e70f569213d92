// A stopping replica hands its unfinished runs back (releaseRun): the slot is free at once for
// another replica, never for one that did not own it, and a finished run stays finished.
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PostgresStore } from "../../src/store/postgres-store.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import type { Store } from "../../src/store/store.ts";

const PG_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const sqliteFile = join(mkdtempSync(join(tmpdir(), "aoai-release-")), "store.sqlite");

describe.each([
  { name: "sqlite", open: (): Store => new SqliteStore(sqliteFile) },
  { name: "postgres", open: (): Store => new PostgresStore(PG_URL) },
])("$name store releasing a run", ({ open }) => {
  const a = open();
  const b = open();
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it("frees a released slot for another replica at once, long before its lease would end", async () => {
    const key = `release-${randomUUID()}:2026-11-29T08:00:00.000Z`;
    expect((await a.claimRun(key, "stopping", 3_600_000)).claimed).toBe(true);
    expect((await b.claimRun(key, "other", 60_000)).claimed).toBe(false);
    expect(await a.releaseRun(key, "stopping")).toBe(true);
    expect(await b.claimRun(key, "other", 60_000)).toEqual({ claimed: true, attempt: 2 });
    // the former owner is fenced off: it can neither finish nor release the slot it gave up
    expect(await a.finishRun(key, "stopping", "done", "late")).toBe(false);
    expect(await a.releaseRun(key, "stopping")).toBe(false);
    expect(await b.getRun(key)).toMatchObject({ owner: "other", status: "claimed" });
  });

  it("lets only the owner release, and never reopens a finished run", async () => {
    const key = `release-${randomUUID()}:2026-11-29T09:00:00.000Z`;
    expect((await a.claimRun(key, "owner", 3_600_000)).claimed).toBe(true);
    expect(await b.releaseRun(key, "someone-else")).toBe(false);
    expect((await b.claimRun(key, "someone-else", 60_000)).claimed).toBe(false);
    expect(await a.finishRun(key, "owner", "done", "posted")).toBe(true);
    expect(await a.releaseRun(key, "owner")).toBe(false);
    expect((await b.claimRun(key, "someone-else", 60_000)).claimed).toBe(false);
    expect(await b.getRun(key)).toMatchObject({ status: "done", outcome: "posted" });
    expect(await a.releaseRun(`release-${randomUUID()}:never-claimed`, "owner")).toBe(false);
  });
});
