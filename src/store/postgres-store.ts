// The shared store for several replicas: PostgreSQL through pg's pool.
import pg from "pg";
import { CLAIM_SQL, CREATE_SQL, type Store } from "./store.ts";

export class PostgresStore implements Store {
  private readonly pool: pg.Pool;
  private ready: Promise<unknown> | undefined;

  constructor(connectionString: string) {
    this.pool = new pg.Pool({ connectionString, max: 5 });
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    this.ready ??= this.pool.query(CREATE_SQL);
    await this.ready;
    const now = Date.now();
    const res = await this.pool.query(CLAIM_SQL((n) => `$${n}`), [key, now + ttlMs, now]);
    return res.rowCount === 1;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
