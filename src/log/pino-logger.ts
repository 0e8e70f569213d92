// Logs are JSON lines on stderr, written by pino: {"level":"warn","time":"…","msg":"…",…fields}.
// Secrets are blanked by field name (pino's redact paths) and by pattern and value in the finished
// line (redact.ts). LOG_LEVEL picks the least severe level written (default info). A line written
// inside a request carries its id as `reqId` (request-context.ts).
import { pino, stdSerializers, type DestinationStream } from "pino";
import type { LogFields, Logger } from "./logger.ts";
import { CENSOR, REDACT_PATHS, scrub, secretValues } from "./redact.ts";
import { currentRequestId } from "./request-context.ts";

export interface LoggerOptions {
  /** Where lines go; stderr (synchronously, so the last lines before an exit are not lost) by default. */
  readonly destination?: DestinationStream;
  readonly level?: string;
  /** Values never to write; the secret environment variables by default. */
  readonly secrets?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

export const LOG_LEVEL_ENV = "LOG_LEVEL";
const LEVELS = new Set(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

export function createLogger(options: LoggerOptions = {}): Logger {
  const env = options.env ?? process.env;
  const secrets = options.secrets ?? secretValues(env);
  const wanted = options.level ?? env[LOG_LEVEL_ENV]?.trim().toLowerCase() ?? "info";
  const p = pino(
    {
      level: LEVELS.has(wanted) ? wanted : "info",
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: stdSerializers.err },
      // every line written inside a request (an HTTP request, a console turn, a scheduled run) says which
      mixin: () => {
        const reqId = currentRequestId();
        return reqId === undefined ? {} : { reqId };
      },
      redact: { paths: [...REDACT_PATHS], censor: CENSOR },
      hooks: { streamWrite: (line) => scrub(line, secrets) },
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
  return wrap(p);
}

function wrap(p: pino.Logger): Logger {
  return {
    debug: (fields, msg) => { p.debug(fields, msg); },
    info: (fields, msg) => { p.info(fields, msg); },
    warn: (fields, msg) => { p.warn(fields, msg); },
    error: (fields, msg) => { p.error(fields, msg); },
    child: (bindings: LogFields) => wrap(p.child(bindings)),
  };
}

let shared: Logger | undefined;

/** The process's logger, made on first use. Components take a `logger` option that defaults to it. */
export function sharedLogger(): Logger {
  shared ??= createLogger();
  return shared;
}

/** Replaces the process's logger (embedders; the test setup checks every line of it for secrets). */
export function setSharedLogger(logger: Logger): void {
  shared = logger;
}
