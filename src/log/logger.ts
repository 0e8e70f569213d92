// The one logger shape every layer uses. Only the interface lives here, so the bot core, the query
// layer and the schedules can take a Logger without knowing how lines are written (pino-logger.ts).

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(fields: LogFields, msg: string): void;
  info(fields: LogFields, msg: string): void;
  warn(fields: LogFields, msg: string): void;
  error(fields: LogFields, msg: string): void;
  /** The same logger with `bindings` on every line (e.g. `{ component: "scheduler" }`). */
  child(bindings: LogFields): Logger;
}

/** A logger that drops everything (tests that assert nothing about logs). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
