// `audit [--since 24h|7d|…] [--limit N]`, in chat and as `aoai audit`: how far back, and how many rows.
import { UserError } from "../queries/errors.ts";

export class AuditArgsError extends UserError {
  readonly code = "invalid_audit_args";
}

export interface AuditQuery {
  /** How far back, in ms. */
  readonly sinceMs: number;
  /** The words the window was given in ("24h"), for the title. */
  readonly since: string;
  readonly limit: number;
}

export const DEFAULT_SINCE = "24h";

const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, min: 60_000, h: 3_600_000, hr: 3_600_000, d: 86_400_000, day: 86_400_000, days: 86_400_000, w: 604_800_000, wk: 604_800_000 };
const SPAN = /^(\d{1,5})\s*([a-z]+)$/i;
const SINCE_HINT = "Give a span such as `30m`, `24h`, `7d` or `2w`, e.g. `audit --since 7d`.";

/** "24h" → ms; undefined when it is not a span. */
export function spanMs(text: string): number | undefined {
  const m = SPAN.exec(text.trim());
  const per = m ? UNIT_MS[(m[2] ?? "").toLowerCase()] : undefined;
  const n = Number(m?.[1]);
  return per === undefined || !(n > 0) ? undefined : n * per;
}

export function readSince(value: string): number {
  const ms = spanMs(value);
  if (ms === undefined) throw new AuditArgsError(`"--since ${value}" is not a span I read.`, { hint: SINCE_HINT });
  return ms;
}

export function readLimit(value: string, max: number): number {
  const n = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 1 && n <= max)) throw new AuditArgsError(`"--limit ${value}" is not a row count I take.`, { hint: `Give a number from 1 to ${String(max)}, e.g. \`audit --limit 50\`.` });
  return n;
}

/** The options of a chat `audit …`, in any order; a bare span ("audit 7d") reads as --since. */
export function readAuditArgs(args: string, limits: { readonly defaultLimit: number; readonly maxLimit: number }): AuditQuery {
  const words = args.trim().split(/\s+|=/).filter((w) => w !== "");
  let since = DEFAULT_SINCE;
  let limit = limits.defaultLimit;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? "";
    const option = word.toLowerCase();
    if (option === "--since" || option === "--limit") {
      const value = words[++i] ?? "";
      if (option === "--since") since = value;
      else limit = readLimit(value, limits.maxLimit);
    } else if (spanMs(word) !== undefined) since = word;
    else throw new AuditArgsError(`I don't know "audit ${args.trim()}".`, { hint: "`audit`, `audit --since 7d`, `audit --since 24h --limit 50`." });
  }
  return { sinceMs: readSince(since), since, limit };
}
