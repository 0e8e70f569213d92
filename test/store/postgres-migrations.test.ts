import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresStore } from "../../src/store/postgres-store.ts";

const PG_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const admin = new pg.Client({ connectionString: PG_URL });
const created: string[] = [];

async function freshDatabase(): Promise<string> {
  const name = `aoai_migrate_${randomUUID().replace(/-/g, "")}`;
  await admin.query(`CREATE DATABASE ${name}`);
  created.push(name);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

beforeAll(async () => {
  await admin.connect();
});
afterAll(async () => {
  for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

describe("three replicas starting on an empty PostgreSQL database", () => {
  // the race in the catalog is a matter of timing: a few fresh databases make it show on unserialised code
  it.each([1, 2, 3, 4])("all make or find the tables and work (fresh database %i)", async () => {
    const url = await freshDatabase();
    const stores = [new PostgresStore(url), new PostgresStore(url), new PostgresStore(url)];
    try {
      const key = `first-${randomUUID()}`;
      const [a, b, c] = stores as [PostgresStore, PostgresStore, PostgresStore];
      const results = await Promise.allSettled([a.claimOnce(key, 60_000), b.put(key, "v"), c.claimRun(key, "replica-c", 60_000), a.ping(), b.ping(), c.ping()]);
      expect(results.filter((r) => r.status === "rejected")).toEqual([]);
      expect(await b.get(key)).toBe("v");
      expect(await c.getRun(key)).toMatchObject({ owner: "replica-c", status: "claimed" });
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});

describe("three bot processes starting at once on an empty PostgreSQL database", () => {
  it("all start their store, make or find the tables, and exit cleanly", async () => {
    const url = await freshDatabase();
    // a separate OS process each, as three replicas would be: one connection pool and one migration attempt per process
    const script = `import { PostgresStore } from "./src/store/postgres-store.ts";
const s = new PostgresStore(process.env.DATABASE_URL);
await s.ping();
await s.put("started:" + process.pid, "yes");
await s.close();
process.stdout.write("ok");`;
    const runs = [0, 1, 2].map(
      () =>
        new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
          const child = spawn(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, DATABASE_URL: url }, stdio: ["ignore", "pipe", "pipe"] });
          let out = "";
          let err = "";
          child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
          child.stderr.on("data", (c: Buffer) => (err += c.toString("utf8")));
          child.on("exit", (code) => { resolve({ code, out, err }); });
        }),
    );
    const results = await Promise.all(runs);
    for (const r of results) expect(r, r.err).toMatchObject({ code: 0, out: "ok" });
    const check = new pg.Client({ connectionString: url });
    await check.connect();
    try {
      const rows = await check.query("SELECT count(*)::int AS n FROM aoai_values WHERE key LIKE 'started:%'");
      expect(rows.rows[0]).toEqual({ n: 3 });
    } finally {
      await check.end();
    }
  });
});
