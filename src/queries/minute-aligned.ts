// A window ending "now" ends at the last whole minute instead: "last hour" asked at 12:00:10 and at
// 12:00:40 is then the same request, so one Azure response answers both (metrics-cache.ts). Nothing
// is hidden: Azure Monitor's newest minute is not in yet anyway, and the answer states its window.
import { InvalidWindowError } from "./errors.ts";

const MINUTE_MS = 60_000;

/** `plan` at the whole minute `now` falls in; at `now` itself when that minute is before the window starts. */
export function atWholeMinute<T>(plan: (at: Date) => T, now: Date): T {
  const minute = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  if (minute === now.getTime()) return plan(now);
  try {
    return plan(new Date(minute));
  } catch (err) {
    // "today" asked at 00:00:20, "since 09:00" at 09:00:20: the window so far is these seconds
    if (err instanceof InvalidWindowError) return plan(now);
    throw err;
  }
}
