// Every log line the tests produce is checked for the tests' own secrets (test/support/secret-leaks.ts):
// the capture logger's lines, and the process's shared logger's, which is replaced here by one that
// writes at debug (so the Azure request lines are checked too) and passes on to stderr only what
// LOG_LEVEL (default info) would have written. A test during which a secret reached a line fails.
import { Writable } from "node:stream";
import { afterEach } from "vitest";
import { createLogger, setSharedLogger } from "../../src/log/pino-logger.ts";
import { takeLeaks, watchLine } from "../support/secret-leaks.ts";

const ORDER = ["trace", "debug", "info", "warn", "error", "fatal"];
const shown = Math.max(0, ORDER.indexOf(process.env.LOG_LEVEL?.trim().toLowerCase() ?? "info"));

const destination = new Writable({
  write(chunk: Buffer | string, _enc, done) {
    for (const line of String(chunk).split("\n")) {
      if (line === "") continue;
      watchLine(line);
      const level = /"level":"([a-z]+)"/.exec(line)?.[1] ?? "info";
      if (ORDER.indexOf(level) >= shown) process.stderr.write(`${line}\n`);
    }
    done();
  },
});
setSharedLogger(createLogger({ level: "debug", env: {}, destination }));

afterEach(() => {
  const leaks = takeLeaks();
  // thrown, not expect()ed: an assertion here would satisfy has-assertions.ts for every test
  if (leaks.length > 0) throw new Error(`a log line held a secret:\n${leaks.map((l) => l.slice(0, 500)).join("\n")}`);
});
