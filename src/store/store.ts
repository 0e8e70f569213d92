// Shared state that must hold across replicas: today, "have we handled this delivery already?"
// (Slack event retries, Teams redeliveries). One interface; SQLite by default, PostgreSQL for several replicas.

export interface Store {
  /**
   * Records `key` for `ttlMs`. True for the first caller, on any replica sharing the store;
   * false for every later caller until the key expires.
   */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Upsert that only takes over an expired key; RETURNING says whether this caller won. Same SQL in SQLite and PostgreSQL. */
export const CLAIM_SQL = (p: (n: number) => string) =>
  `INSERT INTO aoai_seen_keys (key, expires_at) VALUES (${p(1)}, ${p(2)})
   ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE aoai_seen_keys.expires_at <= ${p(3)}
   RETURNING key`;

export const CREATE_SQL = "CREATE TABLE IF NOT EXISTS aoai_seen_keys (key TEXT PRIMARY KEY, expires_at BIGINT NOT NULL)";
