// The real logger (pino, redaction and all) writing into memory, for tests that assert what was logged.
// Every line is also checked for the tests' secrets (secret-leaks.ts).
import { Writable } from "node:stream";
import type { Logger } from "../../src/log/logger.ts";
import { createLogger, type LoggerOptions } from "../../src/log/pino-logger.ts";
import { watchLine } from "./secret-leaks.ts";

export interface LogEntry {
  readonly level: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

export interface CapturedLogger {
  readonly logger: Logger;
  /** Each line as written (JSON). */
  readonly lines: string[];
  /** Each line parsed. */
  entries(): LogEntry[];
  /** All lines joined, for a quick "was this said anywhere" match. */
  text(): string;
}

export function captureLogger(options: Omit<LoggerOptions, "destination"> = {}): CapturedLogger {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      for (const line of String(chunk).split("\n")) {
        if (line === "") continue;
        // no test's line may hold a test secret (test/setup/no-secret-leaks.ts fails the test)
        watchLine(line);
        lines.push(line);
      }
      done();
    },
  });
  const logger = createLogger({ level: "debug", env: {}, ...options, destination });
  return {
    logger,
    lines,
    entries: () => lines.map((l) => JSON.parse(l) as LogEntry),
    text: () => lines.join("\n"),
  };
}
