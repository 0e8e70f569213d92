// The shared store for several replicas: PostgreSQL through pg's pool.
import pg from "pg";
import { PURGE_EVERY, PURGE_SQL, CLAIM_RUN_SQL, CLAIM_SQL, CREATE_RUNS_SQL, CREATE_SQL, CREATE_VALUES_SQL, FINISH_RUN_SQL, GET_RUN_SQL, likePrefix, PUT_SQL, RUN_KEYS_SQL, toRunRecord, type RunRecord, type Store } from "./store.ts";

export class PostgresStore implements Store {
  private readonly pool: pg.Pool;
  private ready: Promise<unknown> | undefined;
  private claims = 0;

  constructor(connectionString: string, log: (m: string) => void = (m) => process.stderr.write(`${m}\n`)) {
    // bounded waits: a slow or unreachable database must not hold a chat request past its deadline
    this.pool = new pg.Pool({ connectionString, max: 5, connectionTimeoutMillis: 5_000, query_timeout: 5_000, keepAlive: true });
    // an idle client dropped by the server (restart, failover) is replaced, not a process crash
    this.pool.on("error", (err) => {
      log(`postgres connection lost: ${err.message}`);
    });
  }

  private async init(): Promise<void> {
    this.ready ??= this.pool
      .query(CREATE_SQL)
      .then(() => this.pool.query(CREATE_VALUES_SQL))
      .then(() => this.pool.query(CREATE_RUNS_SQL))
      .catch((err: unknown) => {
        // not cached: the next call tries again once the database is back
        this.ready = undefined;
        throw err;
      });
    await this.ready;
  }

  async put(key: string, value: string): Promise<void> {
    await this.init();
    await this.pool.query(PUT_SQL((n) => `$${n}`), [key, value, Date.now()]);
  }

  async get(key: string): Promise<string | undefined> {
    await this.init();
    const res = await this.pool.query<{ value: string }>("SELECT value FROM aoai_values WHERE key = $1", [key]);
    return res.rows[0]?.value;
  }

  async keys(prefix: string): Promise<string[]> {
    await this.init();
    const res = await this.pool.query<{ key: string }>("SELECT key FROM aoai_values WHERE key LIKE $1 ESCAPE '\\' ORDER BY key", [likePrefix(prefix)]);
    return res.rows.map((r) => r.key);
  }

  async delete(key: string): Promise<void> {
    await this.init();
    await this.pool.query("DELETE FROM aoai_values WHERE key = $1", [key]);
  }

  async claimRun(key: string, owner: string, leaseMs: number): Promise<{ claimed: boolean; attempt: number }> {
    await this.init();
    const now = Date.now();
    const res = await this.pool.query<{ attempt: number }>(CLAIM_RUN_SQL((n) => `$${n}`), [key, owner, now + leaseMs, now]);
    const row = res.rows[0];
    return row ? { claimed: true, attempt: row.attempt } : { claimed: false, attempt: 0 };
  }

  async finishRun(key: string, owner: string, status: "done" | "failed", outcome: string, retryAfterMs = 60_000): Promise<boolean> {
    await this.init();
    const res = await this.pool.query(FINISH_RUN_SQL((n) => `$${n}`), [key, owner, status, outcome, Date.now(), Date.now() + retryAfterMs]);
    return res.rowCount === 1;
  }

  async getRun(key: string): Promise<RunRecord | undefined> {
    await this.init();
    const res = await this.pool.query<Record<string, unknown>>(GET_RUN_SQL((n) => `$${n}`), [key]);
    return toRunRecord(res.rows[0]);
  }

  async runKeys(prefix: string): Promise<string[]> {
    await this.init();
    const res = await this.pool.query<{ key: string }>(RUN_KEYS_SQL((n) => `$${n}`), [likePrefix(prefix)]);
    return res.rows.map((r) => r.key);
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    await this.init();
    const now = Date.now();
    if (++this.claims % PURGE_EVERY === 0) await this.pool.query(PURGE_SQL("$1"), [now]);
    const res = await this.pool.query(CLAIM_SQL((n) => `$${n}`), [key, now + ttlMs, now]);
    return res.rowCount === 1;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
