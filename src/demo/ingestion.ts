// What part of the simulated account's data Azure Monitor would show at a given moment. The
// numbers of a minute never depend on this (they are a function of the absolute minute alone);
// only whether the minute can be seen yet, or any more, does.
import { DEMO_HISTORY_DAYS } from "./demo-resource.ts";
import { hashKey } from "./seeded-random.ts";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Azure Monitor platform metrics arrive 1–3 minutes after the fact, and the bot must say so
 * ("data is in up to 14:28") rather than show a falling count. The demo lands each minute 5 to
 * 90 s after it closes, so minute m (its start) is visible from m + 65 s to m + 150 s; at a
 * whole-minute now the newest one or two minutes are missing, as on a real account.
 */
export const INGESTION_LAG_MS = { least: 5_000, spread: 85_000 } as const;

const STAGE_INGESTION = 12;

export interface DataWindow {
  /** First visible minute (inclusive), epoch ms. */
  readonly start: number;
  /** End of the visible data (exclusive): the first minute not ingested yet. */
  readonly end: number;
}

/** When the minute starting at `minuteMs` becomes visible: deterministic per seed and minute. */
export function visibleFrom(seed: number, minuteMs: number): number {
  const lag = INGESTION_LAG_MS.least + (hashKey(seed, minuteMs / MINUTE_MS, STAGE_INGESTION, 0) % (INGESTION_LAG_MS.spread / 1000)) * 1000;
  return minuteMs + MINUTE_MS + lag;
}

/**
 * The data visible at `nowMs`: DEMO_HISTORY_DAYS of history, up to the first minute not ingested
 * yet. A minute that landed early stays hidden until the ones before it are in, so the window has
 * no holes and its end never moves backwards as the clock advances.
 */
export function dataWindow(seed: number, nowMs: number): DataWindow {
  // Every minute this old has landed whatever its lag.
  let end = Math.floor((nowMs - MINUTE_MS - INGESTION_LAG_MS.least - INGESTION_LAG_MS.spread) / MINUTE_MS) * MINUTE_MS;
  while (visibleFrom(seed, end) <= nowMs) end += MINUTE_MS;
  return { start: Math.floor(nowMs / MINUTE_MS) * MINUTE_MS - DEMO_HISTORY_DAYS * DAY_MS, end };
}
