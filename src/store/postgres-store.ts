// The shared store for several replicas: PostgreSQL through pg's pool.
import pg from "pg";
import type { Logger } from "../log/logger.ts";
import { sharedLogger } from "../log/pino-logger.ts";
import { auditValues, storableAudit, toAuditRow, type AuditRow } from "./audit-row.ts";
import { storablePrefix, storeKey } from "./store-key.ts";
import { APPEND_AUDIT_SQL, AUDIT_ID_POSTGRES, AUDIT_SINCE_SQL, CREATE_AUDIT_INDEX_SQL, CREATE_AUDIT_SQL, PURGE_AUDIT_SQL, PURGE_EVERY, PURGE_SQL, CLAIM_RUN_SQL, CLAIM_SQL, CREATE_RUNS_SQL, CREATE_SQL, CREATE_VALUES_SQL, FINISH_RUN_SQL, GET_RUN_SQL, likePrefix, PUT_SQL, RUN_KEYS_SQL, toRunRecord, type RunRecord, type Store } from "./store.ts";
import { RELEASE_RUN_SQL } from "./run-release.ts";

/**
 * Serialises table creation across processes: two concurrent CREATE TABLE IF NOT EXISTS of the
 * same table on an empty database race in PostgreSQL's catalog (duplicate key in
 * pg_type_typname_nsp_index). Any fixed bigint works; this one spells "aoai".
 */
export const MIGRATION_LOCK_ID = 0x616f6169;
const MIGRATIONS = [CREATE_SQL, CREATE_VALUES_SQL, CREATE_RUNS_SQL, CREATE_AUDIT_SQL(AUDIT_ID_POSTGRES), CREATE_AUDIT_INDEX_SQL];

export class PostgresStore implements Store {
  private readonly pool: pg.Pool;
  private ready: Promise<unknown> | undefined;
  private claims = 0;
  private closed: Promise<void> | undefined;

  constructor(connectionString: string, logger: Logger = sharedLogger()) {
    // bounded waits: a slow or unreachable database must not hold a chat request past its deadline
    this.pool = new pg.Pool({ connectionString, max: 5, connectionTimeoutMillis: 5_000, query_timeout: 5_000, keepAlive: true });
    // an idle client dropped by the server (restart, failover) is replaced, not a process crash
    this.pool.on("error", (err) => {
      logger.warn({ component: "store", err }, "postgres connection lost");
    });
  }

  private async init(): Promise<void> {
    this.ready ??= this.migrate().catch((err: unknown) => {
      // not cached: the next call tries again once the database is back
      this.ready = undefined;
      throw err;
    });
    await this.ready;
  }

  /** All tables in one transaction under a transaction-scoped advisory lock, released by COMMIT or ROLLBACK. */
  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_ID]);
      for (const sql of MIGRATIONS) await client.query(sql);
      await client.query("COMMIT");
    } catch (err) {
      await client.query("ROLLBACK").catch((rollbackErr: unknown) => {
        // a connection that cannot even roll back is not given back to the pool
        broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
      });
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async ping(): Promise<void> {
    await this.init();
    await this.pool.query("SELECT 1");
  }

  async put(key: string, value: string): Promise<void> {
    await this.init();
    await this.pool.query(PUT_SQL((n) => `$${n}`), [storeKey(key), value, Date.now()]);
  }

  async get(key: string): Promise<string | undefined> {
    await this.init();
    const res = await this.pool.query<{ value: string }>("SELECT value FROM aoai_values WHERE key = $1", [storeKey(key)]);
    return res.rows[0]?.value;
  }

  async keys(prefix: string): Promise<string[]> {
    await this.init();
    const p = storablePrefix(prefix);
    if (p === undefined) return [];
    const res = await this.pool.query<{ key: string }>("SELECT key FROM aoai_values WHERE key LIKE $1 ESCAPE '\\' ORDER BY key", [likePrefix(p)]);
    return res.rows.map((r) => r.key);
  }

  async delete(key: string): Promise<void> {
    await this.init();
    await this.pool.query("DELETE FROM aoai_values WHERE key = $1", [storeKey(key)]);
  }

  async claimRun(key: string, owner: string, leaseMs: number): Promise<{ claimed: boolean; attempt: number }> {
    await this.init();
    const now = Date.now();
    const res = await this.pool.query<{ attempt: number }>(CLAIM_RUN_SQL((n) => `$${n}`), [storeKey(key), owner, now + leaseMs, now]);
    const row = res.rows[0];
    return row ? { claimed: true, attempt: row.attempt } : { claimed: false, attempt: 0 };
  }

  async releaseRun(key: string, owner: string): Promise<boolean> {
    await this.init();
    const res = await this.pool.query(RELEASE_RUN_SQL((n) => `$${n}`), [storeKey(key), owner, Date.now()]);
    return res.rowCount === 1;
  }

  async finishRun(key: string, owner: string, status: "done" | "failed", outcome: string, retryAfterMs = 60_000): Promise<boolean> {
    await this.init();
    const res = await this.pool.query(FINISH_RUN_SQL((n) => `$${n}`), [storeKey(key), owner, status, outcome, Date.now(), Date.now() + retryAfterMs]);
    return res.rowCount === 1;
  }

  async getRun(key: string): Promise<RunRecord | undefined> {
    await this.init();
    const res = await this.pool.query<Record<string, unknown>>(GET_RUN_SQL((n) => `$${n}`), [storeKey(key)]);
    return toRunRecord(res.rows[0]);
  }

  async runKeys(prefix: string): Promise<string[]> {
    await this.init();
    const p = storablePrefix(prefix);
    if (p === undefined) return [];
    const res = await this.pool.query<{ key: string }>(RUN_KEYS_SQL((n) => `$${n}`), [likePrefix(p)]);
    return res.rows.map((r) => r.key);
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    await this.init();
    const now = Date.now();
    if (++this.claims % PURGE_EVERY === 0) await this.pool.query(PURGE_SQL("$1"), [now]);
    const res = await this.pool.query(CLAIM_SQL((n) => `$${n}`), [storeKey(key), now + ttlMs, now]);
    return res.rowCount === 1;
  }

  async appendAudit(row: AuditRow): Promise<void> {
    await this.init();
    await this.pool.query(APPEND_AUDIT_SQL((n) => `$${n}`), auditValues(storableAudit(row)));
  }

  async auditSince(sinceMs: number, limit: number): Promise<AuditRow[]> {
    await this.init();
    const res = await this.pool.query<Record<string, unknown>>(AUDIT_SINCE_SQL((n) => `$${n}`), [Math.trunc(sinceMs), Math.max(0, Math.trunc(limit))]);
    return res.rows.map(toAuditRow);
  }

  async purgeAudit(beforeMs: number): Promise<number> {
    await this.init();
    const res = await this.pool.query(PURGE_AUDIT_SQL((n) => `$${n}`), [Math.trunc(beforeMs)]);
    return res.rowCount ?? 0;
  }

  /** Safe to call more than once (a failed start and its cleanup may both close). */
  close(): Promise<void> {
    this.closed ??= this.pool.end();
    return this.closed;
  }
}
