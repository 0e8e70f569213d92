// Bolt (and its WebClient) log through our Logger: one line format, one redaction. Bolt passes
// loose arguments (strings, objects, errors); the strings become the message, the rest fields.
import { LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import type { Logger } from "../../log/logger.ts";

const RANK: Readonly<Record<LogLevel, number>> = { [LogLevel.DEBUG]: 10, [LogLevel.INFO]: 20, [LogLevel.WARN]: 30, [LogLevel.ERROR]: 40 };

/** Bolt's Logger over ours; `level` (Bolt's own, WARN by default) keeps Bolt's chatter out. */
export function boltLogger(logger: Logger, level: LogLevel = LogLevel.WARN): BoltLogger {
  let current = level;
  let named = logger.child({ component: "bolt" });
  const emit = (at: LogLevel, args: unknown[]) => {
    if (RANK[at] < RANK[current]) return;
    const words = args.filter((a): a is string => typeof a === "string");
    const errors = args.filter((a): a is Error => a instanceof Error);
    const others = args.filter((a) => typeof a !== "string" && !(a instanceof Error));
    const msg = words.join(" ") || errors[0]?.message || "bolt";
    named[at]({ ...(errors[0] ? { err: errors[0] } : {}), ...(others.length > 0 ? { details: others } : {}) }, msg);
  };
  return {
    debug: (...args: unknown[]) => { emit(LogLevel.DEBUG, args); },
    info: (...args: unknown[]) => { emit(LogLevel.INFO, args); },
    warn: (...args: unknown[]) => { emit(LogLevel.WARN, args); },
    error: (...args: unknown[]) => { emit(LogLevel.ERROR, args); },
    setLevel: (l: LogLevel) => { current = l; },
    getLevel: () => current,
    setName: (name: string) => { named = logger.child({ component: name }); },
  };
}
