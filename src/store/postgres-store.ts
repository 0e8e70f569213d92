// The shared store for several replicas: PostgreSQL through pg's pool.
import pg from "pg";
import { CLAIM_SQL, CREATE_SQL, CREATE_VALUES_SQL, likePrefix, PUT_SQL, type Store } from "./store.ts";

export class PostgresStore implements Store {
  private readonly pool: pg.Pool;
  private ready: Promise<unknown> | undefined;

  constructor(connectionString: string) {
    this.pool = new pg.Pool({ connectionString, max: 5 });
  }

  private async init(): Promise<void> {
    this.ready ??= this.pool.query(CREATE_SQL).then(() => this.pool.query(CREATE_VALUES_SQL));
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

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    await this.init();
    const now = Date.now();
    const res = await this.pool.query(CLAIM_SQL((n) => `$${n}`), [key, now + ttlMs, now]);
    return res.rowCount === 1;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
