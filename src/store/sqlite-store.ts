// The embedded store: node:sqlite (built into Node 24, no native build), one file under ./data.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { auditValues, storableAudit, toAuditRow, type AuditRow } from "./audit-row.ts";
import { storablePrefix, storeKey } from "./store-key.ts";
import { APPEND_AUDIT_SQL, AUDIT_ID_SQLITE, AUDIT_SINCE_SQL, CREATE_AUDIT_INDEX_SQL, CREATE_AUDIT_SQL, PURGE_AUDIT_SQL, PURGE_EVERY, PURGE_SQL, CLAIM_RUN_SQL, CLAIM_SQL, CREATE_RUNS_SQL, CREATE_SQL, CREATE_VALUES_SQL, FINISH_RUN_SQL, GET_RUN_SQL, likePrefix, PUT_SQL, RUN_KEYS_SQL, toRunRecord, type RunRecord, type Store } from "./store.ts";
import { RELEASE_RUN_SQL } from "./run-release.ts";

export class SqliteStore implements Store {
  private readonly db: DatabaseSync;
  private readonly claim;
  private claims = 0;
  private readonly putValue;
  private readonly getValue;
  private readonly listKeys;
  private readonly deleteValue;
  private readonly claimRunStmt;
  private readonly finishRunStmt;
  private readonly getRunStmt;
  private readonly runKeysStmt;
  private readonly appendAuditStmt;
  private readonly auditSinceStmt;
  private readonly purgeAuditStmt;

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    // several processes may share the file: wait for a writer instead of failing with SQLITE_BUSY
    // (the timeout first, so switching to WAL already waits). synchronous = NORMAL: in WAL mode a
    // commit no longer waits for an fsync (6 ms a write here, most of a Slack command's time on
    // the event loop); a crashed process loses nothing, a power cut at most the last commits
    // (a dedupe record, a context), and the file stays consistent.
    this.db.exec("PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
    this.write(() => {
      this.db.exec(CREATE_SQL);
      this.db.exec(CREATE_VALUES_SQL);
      this.db.exec(CREATE_RUNS_SQL);
      this.db.exec(CREATE_AUDIT_SQL(AUDIT_ID_SQLITE));
      this.db.exec(CREATE_AUDIT_INDEX_SQL);
    });
    this.claim = this.db.prepare(CLAIM_SQL(() => "?"));
    this.putValue = this.db.prepare(PUT_SQL(() => "?"));
    this.getValue = this.db.prepare("SELECT value FROM aoai_values WHERE key = ?");
    this.listKeys = this.db.prepare("SELECT key FROM aoai_values WHERE key LIKE ? ESCAPE '\\' ORDER BY key");
    this.deleteValue = this.db.prepare("DELETE FROM aoai_values WHERE key = ?");
    const q = () => "?";
    this.claimRunStmt = this.db.prepare(CLAIM_RUN_SQL((n) => `?${n}`));
    this.finishRunStmt = this.db.prepare(FINISH_RUN_SQL((n) => `?${n}`));
    this.getRunStmt = this.db.prepare(GET_RUN_SQL(q));
    this.runKeysStmt = this.db.prepare(RUN_KEYS_SQL(q));
    this.appendAuditStmt = this.db.prepare(APPEND_AUDIT_SQL(q));
    this.auditSinceStmt = this.db.prepare(AUDIT_SINCE_SQL(q));
    this.purgeAuditStmt = this.db.prepare(PURGE_AUDIT_SQL(q));
  }

  /**
   * Writes start with BEGIN IMMEDIATE: in WAL mode a plain statement that turns from reading into
   * writing after another process wrote gets SQLITE_BUSY at once, without waiting; taking the write
   * lock first makes it wait (busy_timeout) like any other writer.
   */
  private write<T>(fn: () => T): T {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const result = fn();
      this.db.exec("COMMIT");
      return result;
    } catch (err) {
      this.db.exec("ROLLBACK");
      throw err;
    }
  }

  delete(key: string): Promise<void> {
    this.write(() => this.deleteValue.run(storeKey(key)));
    return Promise.resolve();
  }

  claimRun(key: string, owner: string, leaseMs: number): Promise<{ claimed: boolean; attempt: number }> {
    const now = Date.now();
    const row = this.write(() => this.claimRunStmt.get(storeKey(key), owner, now + leaseMs, now)) as { attempt?: unknown } | undefined;
    return Promise.resolve(row ? { claimed: true, attempt: Number(row.attempt) } : { claimed: false, attempt: 0 });
  }

  releaseRun(key: string, owner: string): Promise<boolean> {
    return Promise.resolve(this.write(() => this.db.prepare(RELEASE_RUN_SQL((n) => `?${n}`)).all(storeKey(key), owner, Date.now())).length === 1);
  }

  finishRun(key: string, owner: string, status: "done" | "failed", outcome: string, retryAfterMs = 60_000): Promise<boolean> {
    return Promise.resolve(this.write(() => this.finishRunStmt.all(storeKey(key), owner, status, outcome, Date.now(), Date.now() + retryAfterMs)).length === 1);
  }

  getRun(key: string): Promise<RunRecord | undefined> {
    return Promise.resolve(toRunRecord(this.getRunStmt.get(storeKey(key)) as Record<string, unknown> | undefined));
  }

  runKeys(prefix: string): Promise<string[]> {
    const p = storablePrefix(prefix);
    if (p === undefined) return Promise.resolve([]);
    return Promise.resolve(this.runKeysStmt.all(likePrefix(p)).map((r) => String((r as { key: unknown }).key)));
  }

  put(key: string, value: string): Promise<void> {
    this.write(() => this.putValue.run(storeKey(key), value, Date.now()));
    return Promise.resolve();
  }

  get(key: string): Promise<string | undefined> {
    const row = this.getValue.get(storeKey(key)) as { value?: unknown } | undefined;
    return Promise.resolve(typeof row?.value === "string" ? row.value : undefined);
  }

  keys(prefix: string): Promise<string[]> {
    const p = storablePrefix(prefix);
    if (p === undefined) return Promise.resolve([]);
    return Promise.resolve(this.listKeys.all(likePrefix(p)).map((r) => String((r as { key: unknown }).key)));
  }

  claimOnce(key: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    return Promise.resolve(
      this.write(() => {
        if (++this.claims % PURGE_EVERY === 0) this.db.prepare(PURGE_SQL("?")).run(now);
        return this.claim.all(storeKey(key), now + ttlMs, now).length === 1;
      }),
    );
  }

  appendAudit(row: AuditRow): Promise<void> {
    this.write(() => this.appendAuditStmt.run(...auditValues(storableAudit(row))));
    return Promise.resolve();
  }

  auditSince(sinceMs: number, limit: number): Promise<AuditRow[]> {
    return Promise.resolve(this.auditSinceStmt.all(Math.trunc(sinceMs), Math.max(0, Math.trunc(limit))).map((r) => toAuditRow(r as Record<string, unknown>)));
  }

  purgeAudit(beforeMs: number): Promise<number> {
    return Promise.resolve(Number(this.write(() => this.purgeAuditStmt.run(Math.trunc(beforeMs))).changes));
  }

  ping(): Promise<void> {
    try {
      this.db.prepare("SELECT 1").get();
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Safe to call more than once (a failed start and its cleanup may both close). */
  close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
    return Promise.resolve();
  }
}
