// Scripted trouble, so a demo has something to find: a throttling burst and a latency spike that
// recur every day at the same UTC times. Like every other figure, an incident depends only on the
// absolute minute, never on when the demo was started or what `--now` says, so a past window
// answers the same whenever it is asked; each one starts and ends, so a condition report that
// fires during it is seen to resolve.

export type IncidentEffect = "throttling" | "latency";

export interface Incident {
  readonly deployment: string;
  readonly effect: IncidentEffect;
  /** throttling: peak share of requests answered 429; latency: peak multiplier of response times. */
  readonly strength: number;
  readonly startUtcMinuteOfDay: number;
  readonly minutes: number;
}

export const DEMO_INCIDENTS: readonly Incident[] = [
  // 13:30–14:40 UTC: the last hour before 14:30 is throttled throughout, and the burst is over ten
  // minutes later, so "--now …T14:30:00Z" sees the incident and a 5-minute condition resolves at 14:45.
  { deployment: "gpt-4o-mini", effect: "throttling", strength: 0.46, startUtcMinuteOfDay: 13 * 60 + 30, minutes: 70 },
  { deployment: "gpt-4o", effect: "latency", strength: 3.5, startUtcMinuteOfDay: 10 * 60, minutes: 20 },
];

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * How far into the incident `minuteMs` is, in (0, 1), or undefined outside it. Effects ramp up and
 * down over the window because real throttling and slowdowns rarely switch on in one minute.
 */
function incidentProgress(incident: Incident, minuteMs: number): number | undefined {
  const start = Math.floor(minuteMs / DAY_MS) * DAY_MS + incident.startUtcMinuteOfDay * MINUTE_MS;
  const offset = (minuteMs - start) / MINUTE_MS;
  if (offset < 0 || offset >= incident.minutes) return undefined;
  return (offset + 0.5) / incident.minutes;
}

/** Share of a deployment's requests answered 429 in that minute, from scripted incidents. */
export function throttledShare(deployment: string, minuteMs: number): number {
  let share = 0;
  for (const inc of DEMO_INCIDENTS) {
    if (inc.deployment !== deployment || inc.effect !== "throttling") continue;
    const p = incidentProgress(inc, minuteMs);
    if (p !== undefined) share = Math.max(share, inc.strength * (0.55 + 0.45 * Math.sin(Math.PI * p)));
  }
  return share;
}

/** Multiplier on a deployment's latencies in that minute (1 outside incidents). */
export function latencyFactor(deployment: string, minuteMs: number): number {
  let factor = 1;
  for (const inc of DEMO_INCIDENTS) {
    if (inc.deployment !== deployment || inc.effect !== "latency") continue;
    const p = incidentProgress(inc, minuteMs);
    if (p !== undefined) factor = Math.max(factor, 1 + (inc.strength - 1) * (0.6 + 0.4 * Math.sin(Math.PI * p)));
  }
  return factor;
}
