// The embedded store: node:sqlite (built into Node 24, no native build), one file under ./data.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { CLAIM_SQL, CREATE_SQL, CREATE_VALUES_SQL, likePrefix, PUT_SQL, type Store } from "./store.ts";

export class SqliteStore implements Store {
  private readonly db: DatabaseSync;
  private readonly claim;
  private readonly putValue;
  private readonly getValue;
  private readonly listKeys;

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    // several processes may share the file: wait for a writer instead of failing with SQLITE_BUSY
    this.db.exec("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;");
    this.db.exec(CREATE_SQL);
    this.db.exec(CREATE_VALUES_SQL);
    this.claim = this.db.prepare(CLAIM_SQL(() => "?"));
    this.putValue = this.db.prepare(PUT_SQL(() => "?"));
    this.getValue = this.db.prepare("SELECT value FROM aoai_values WHERE key = ?");
    this.listKeys = this.db.prepare("SELECT key FROM aoai_values WHERE key LIKE ? ESCAPE '\\' ORDER BY key");
  }

  put(key: string, value: string): Promise<void> {
    this.putValue.run(key, value, Date.now());
    return Promise.resolve();
  }

  get(key: string): Promise<string | undefined> {
    const row = this.getValue.get(key) as { value?: unknown } | undefined;
    return Promise.resolve(typeof row?.value === "string" ? row.value : undefined);
  }

  keys(prefix: string): Promise<string[]> {
    return Promise.resolve(this.listKeys.all(likePrefix(prefix)).map((r) => String((r as { key: unknown }).key)));
  }

  claimOnce(key: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    return Promise.resolve(this.claim.all(key, now + ttlMs, now).length === 1);
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}
