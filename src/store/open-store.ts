// DATABASE_URL selects PostgreSQL (several replicas); otherwise a SQLite file in ./data.
import { join } from "node:path";
import { PostgresStore } from "./postgres-store.ts";
import { SqliteStore } from "./sqlite-store.ts";
import type { Store } from "./store.ts";

export const DEFAULT_SQLITE_FILE = join("data", "aoai.sqlite");

export function openStore(env: NodeJS.ProcessEnv = process.env): Store {
  const url = env.DATABASE_URL;
  if (url !== undefined && url !== "") return new PostgresStore(url);
  return new SqliteStore(env.AOAI_SQLITE_FILE ?? DEFAULT_SQLITE_FILE);
}
