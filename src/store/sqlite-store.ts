// The embedded store: node:sqlite (built into Node 24, no native build), one file under ./data.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { CLAIM_SQL, CREATE_SQL, type Store } from "./store.ts";

export class SqliteStore implements Store {
  private readonly db: DatabaseSync;
  private readonly claim;

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    // several processes may share the file: wait for a writer instead of failing with SQLITE_BUSY
    this.db.exec("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;");
    this.db.exec(CREATE_SQL);
    this.claim = this.db.prepare(CLAIM_SQL(() => "?"));
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
