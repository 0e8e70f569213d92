// DATABASE_URL selects PostgreSQL (several replicas); otherwise a SQLite file in ./data.
import { join } from "node:path";
import { ConfigError } from "../app/config-error.ts";
import type { Logger } from "../log/logger.ts";
import { sharedLogger } from "../log/pino-logger.ts";
import { PostgresStore } from "./postgres-store.ts";
import { SqliteStore } from "./sqlite-store.ts";
import type { Store } from "./store.ts";

export const DEFAULT_SQLITE_FILE = join("data", "aoai.sqlite");
const POSTGRES_PROTOCOLS = new Set(["postgres:", "postgresql:"]);

export function openStore(env: NodeJS.ProcessEnv = process.env, logger: Logger = sharedLogger()): Store {
  const url = env.DATABASE_URL;
  if (url !== undefined && url !== "") {
    checkDatabaseUrl(url);
    return new PostgresStore(url, logger);
  }
  return new SqliteStore(env.AOAI_SQLITE_FILE ?? DEFAULT_SQLITE_FILE);
}

/** A malformed URL is a configuration error, said at start with the key to fix (never with the password). */
function checkDatabaseUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError("DATABASE_URL", "is not a URL; expected postgres://user:password@host:5432/database");
  }
  if (!POSTGRES_PROTOCOLS.has(parsed.protocol)) throw new ConfigError("DATABASE_URL", `must start with postgres:// or postgresql://, not ${parsed.protocol}//`);
  if (parsed.hostname === "" && !parsed.searchParams.has("host")) throw new ConfigError("DATABASE_URL", "names no host; expected postgres://user:password@host:5432/database");
  try {
    decodeURIComponent(parsed.username);
    decodeURIComponent(parsed.password);
    decodeURIComponent(parsed.pathname);
  } catch {
    throw new ConfigError("DATABASE_URL", "has a malformed %-escape in the user, password or database name");
  }
}
