// Shared state that must hold across replicas: "have we handled this delivery already?" (Slack event
// retries, Teams redeliveries) and small records such as Teams conversation references.
// One interface; SQLite by default, PostgreSQL for several replicas. Keys of any length and content
// work the same in both (store-key.ts). The audit log (audit-row.ts) is a table of its own.
import { AUDIT_COLUMNS, type AuditRow } from "./audit-row.ts";

export interface Store {
  /**
   * Records `key` for `ttlMs`. True for the first caller, on any replica sharing the store;
   * false for every later caller until the key expires.
   */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  /** Stores (or replaces) a small JSON-serialisable record under `key`. */
  put(key: string, value: string): Promise<void>;
  get(key: string): Promise<string | undefined>;
  /** Keys that start with `prefix`, e.g. every stored Teams conversation. */
  keys(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;

  /**
   * The run ledger: claims `key` (schedule:slot) for `owner` until the lease ends. A free key, or a
   * claimed one whose lease has run out (its owner died), is won by exactly one caller; a finished
   * run is never claimed again.
   */
  claimRun(key: string, owner: string, leaseMs: number): Promise<{ claimed: boolean; attempt: number }>;
  /**
   * Records how a run ended; only the current owner may (a slow former owner is fenced off). A
   * "failed" run (nothing was delivered) may be claimed again after `retryAfterMs`, a few times.
   */
  finishRun(key: string, owner: string, status: "done" | "failed", outcome: string, retryAfterMs?: number): Promise<boolean>;
  /**
   * Gives up `owner`'s lease on a run it claimed and did not finish (the process is stopping): the
   * slot is free for another replica at once. False when `owner` no longer holds it.
   */
  releaseRun(key: string, owner: string): Promise<boolean>;
  getRun(key: string): Promise<RunRecord | undefined>;
  /** Ledger keys starting with `prefix`, oldest slot first. */
  runKeys(prefix: string): Promise<string[]>;
  /** Appends one audit row (made storable first: no NUL, texts cut to length). */
  appendAudit(row: AuditRow): Promise<void>;
  /** Audit rows at or after `sinceMs`, newest first, at most `limit`. */
  auditSince(sinceMs: number, limit: number): Promise<AuditRow[]>;
  /** Deletes audit rows older than `beforeMs`; says how many. */
  purgeAudit(beforeMs: number): Promise<number>;
  /**
   * Resolves once the store answers (its tables made on first use); rejects when it cannot be
   * reached. Checked at start and by /readyz.
   */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface RunRecord {
  readonly key: string;
  readonly owner: string;
  readonly status: "claimed" | "done" | "failed";
  readonly leaseUntil: number;
  readonly attempt: number;
  readonly outcome: string | null;
}

/** Upsert that only takes over an expired key; RETURNING says whether this caller won. Same SQL in SQLite and PostgreSQL. */
export const CLAIM_SQL = (p: (n: number) => string) =>
  `INSERT INTO aoai_seen_keys (key, expires_at) VALUES (${p(1)}, ${p(2)})
   ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE aoai_seen_keys.expires_at <= ${p(3)}
   RETURNING key`;

export const CREATE_SQL = "CREATE TABLE IF NOT EXISTS aoai_seen_keys (key TEXT PRIMARY KEY, expires_at BIGINT NOT NULL)";

export const CREATE_VALUES_SQL = "CREATE TABLE IF NOT EXISTS aoai_values (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at BIGINT NOT NULL)";
export const PUT_SQL = (p: (n: number) => string) =>
  `INSERT INTO aoai_values (key, value, updated_at) VALUES (${p(1)}, ${p(2)}, ${p(3)})
   ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`;
/** Prefix match with LIKE, so `%` and `_` in a prefix are escaped. */
export const likePrefix = (prefix: string): string => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export const CREATE_RUNS_SQL = "CREATE TABLE IF NOT EXISTS aoai_runs (key TEXT PRIMARY KEY, owner TEXT NOT NULL, status TEXT NOT NULL, lease_until BIGINT NOT NULL, attempt INTEGER NOT NULL, outcome TEXT, updated_at BIGINT NOT NULL)";
/** Insert-if-absent, or take over a claim whose lease ran out; RETURNING tells the winner. */
export const CLAIM_RUN_SQL = (p: (n: number) => string) =>
  `INSERT INTO aoai_runs (key, owner, status, lease_until, attempt, updated_at) VALUES (${p(1)}, ${p(2)}, 'claimed', ${p(3)}, 1, ${p(4)})
   ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, status = 'claimed', outcome = NULL, lease_until = excluded.lease_until, attempt = aoai_runs.attempt + 1, updated_at = excluded.updated_at
   WHERE aoai_runs.lease_until <= ${p(4)} AND (aoai_runs.status = 'claimed' OR (aoai_runs.status = 'failed' AND aoai_runs.attempt < ${MAX_RUN_ATTEMPTS}))
   RETURNING attempt`;
export const FINISH_RUN_SQL = (p: (n: number) => string) =>
  `UPDATE aoai_runs SET status = ${p(3)}, outcome = ${p(4)}, updated_at = ${p(5)}, lease_until = ${p(6)} WHERE key = ${p(1)} AND owner = ${p(2)} AND status = 'claimed' RETURNING key`;
/** A run that failed before anything could have been delivered is tried this many times in all. */
export const MAX_RUN_ATTEMPTS = 3;
export const GET_RUN_SQL = (p: (n: number) => string) => `SELECT key, owner, status, lease_until, attempt, outcome FROM aoai_runs WHERE key = ${p(1)}`;
export const RUN_KEYS_SQL = (p: (n: number) => string) => `SELECT key FROM aoai_runs WHERE key LIKE ${p(1)} ESCAPE '\\' ORDER BY key`;

export function toRunRecord(row: Record<string, unknown> | undefined): RunRecord | undefined {
  if (!row) return undefined;
  return { key: String(row.key), owner: String(row.owner), status: String(row.status) as RunRecord["status"], leaseUntil: Number(row.lease_until), attempt: Number(row.attempt), outcome: typeof row.outcome === "string" ? row.outcome : null };
}

/** Expired delivery keys are deleted now and then, so the table stays the size of an hour of traffic. */
export const PURGE_EVERY = 500;
export const PURGE_SQL = (now: string) => `DELETE FROM aoai_seen_keys WHERE expires_at <= ${now}`;

/** The audit table; `id` is the dialect's own auto-increment key, which orders rows of the same millisecond. */
export const CREATE_AUDIT_SQL = (id: string) =>
  `CREATE TABLE IF NOT EXISTS aoai_audit (id ${id}, at BIGINT NOT NULL, request_id TEXT, kind TEXT NOT NULL, platform TEXT NOT NULL, workspace TEXT, org TEXT, team TEXT, channel TEXT, user_id TEXT, command TEXT NOT NULL, question TEXT NOT NULL, outcome TEXT NOT NULL, decided_by TEXT, reference TEXT, requests TEXT NOT NULL, duration_ms INTEGER NOT NULL)`;
export const AUDIT_ID_SQLITE = "INTEGER PRIMARY KEY";
export const AUDIT_ID_POSTGRES = "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";
export const CREATE_AUDIT_INDEX_SQL = "CREATE INDEX IF NOT EXISTS aoai_audit_at ON aoai_audit (at)";
export const APPEND_AUDIT_SQL = (p: (n: number) => string) => `INSERT INTO aoai_audit (${AUDIT_COLUMNS.join(", ")}) VALUES (${AUDIT_COLUMNS.map((_c, i) => p(i + 1)).join(", ")})`;
export const AUDIT_SINCE_SQL = (p: (n: number) => string) => `SELECT ${AUDIT_COLUMNS.join(", ")} FROM aoai_audit WHERE at >= ${p(1)} ORDER BY at DESC, id DESC LIMIT ${p(2)}`;
export const PURGE_AUDIT_SQL = (p: (n: number) => string) => `DELETE FROM aoai_audit WHERE at < ${p(1)}`;
