// Shared state that must hold across replicas: "have we handled this delivery already?" (Slack event
// retries, Teams redeliveries) and small records such as Teams conversation references.
// One interface; SQLite by default, PostgreSQL for several replicas.

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
  close(): Promise<void>;
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
