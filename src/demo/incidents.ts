// Scripted trouble, so a demo has something to find: a throttling burst and a latency spike that
// recur every day, plus one of each shortly before the anchor so "last hour" and "last 3 hours"
// questions show them right after start-up.

export type IncidentEffect = "throttling" | "latency";

export type IncidentWindow =
  | { readonly kind: "daily"; readonly startUtcMinuteOfDay: number; readonly minutes: number }
  | { readonly kind: "before-anchor"; readonly startMinutesBefore: number; readonly minutes: number };

export interface Incident {
  readonly deployment: string;
  readonly effect: IncidentEffect;
  /** throttling: peak share of requests answered 429; latency: peak multiplier of response times. */
  readonly strength: number;
  readonly window: IncidentWindow;
}

export const DEMO_INCIDENTS: readonly Incident[] = [
  { deployment: "gpt-4o-mini", effect: "throttling", strength: 0.4, window: { kind: "daily", startUtcMinuteOfDay: 14 * 60, minutes: 40 } },
  { deployment: "gpt-4o-mini", effect: "throttling", strength: 0.45, window: { kind: "before-anchor", startMinutesBefore: 60, minutes: 50 } },
  { deployment: "gpt-4o", effect: "latency", strength: 3.5, window: { kind: "daily", startUtcMinuteOfDay: 10 * 60, minutes: 20 } },
  { deployment: "gpt-4o", effect: "latency", strength: 5, window: { kind: "before-anchor", startMinutesBefore: 180, minutes: 20 } },
];

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * How far into the incident `minuteMs` is, in (0, 1), or undefined outside it. Effects ramp up and
 * down over the window because real throttling and slowdowns rarely switch on in one minute.
 */
function incidentProgress(incident: Incident, minuteMs: number, anchorMinuteMs: number): number | undefined {
  const w = incident.window;
  let start: number;
  if (w.kind === "daily") {
    start = Math.floor(minuteMs / DAY_MS) * DAY_MS + w.startUtcMinuteOfDay * MINUTE_MS;
  } else {
    start = anchorMinuteMs - w.startMinutesBefore * MINUTE_MS;
  }
  const offset = (minuteMs - start) / MINUTE_MS;
  if (offset < 0 || offset >= w.minutes) return undefined;
  return (offset + 0.5) / w.minutes;
}

/** Share of a deployment's requests answered 429 in that minute, from scripted incidents. */
export function throttledShare(deployment: string, minuteMs: number, anchorMinuteMs: number): number {
  let share = 0;
  for (const inc of DEMO_INCIDENTS) {
    if (inc.deployment !== deployment || inc.effect !== "throttling") continue;
    const p = incidentProgress(inc, minuteMs, anchorMinuteMs);
    if (p !== undefined) share = Math.max(share, inc.strength * (0.55 + 0.45 * Math.sin(Math.PI * p)));
  }
  return share;
}

/** Multiplier on a deployment's latencies in that minute (1 outside incidents). */
export function latencyFactor(deployment: string, minuteMs: number, anchorMinuteMs: number): number {
  let factor = 1;
  for (const inc of DEMO_INCIDENTS) {
    if (inc.deployment !== deployment || inc.effect !== "latency") continue;
    const p = incidentProgress(inc, minuteMs, anchorMinuteMs);
    if (p !== undefined) factor = Math.max(factor, 1 + (inc.strength - 1) * (0.6 + 0.4 * Math.sin(Math.PI * p)));
  }
  return factor;
}
