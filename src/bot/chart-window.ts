// The window a chart shows, in words, in the zone its time axis is labelled in: the caption's first part.
import { DateTime } from "luxon";

const UTC_NAMES = new Set(["UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z"]);

/** "Sun 29 Nov 10:00–11:00 Europe/Berlin"; across midnight "Sat 28 Nov 10:00 – Sun 29 Nov 10:00 UTC". */
export function chartWindow(start: string, end: string, zone: string): string {
  // English day names whatever the server's locale: the rest of the message is English too
  const s = DateTime.fromISO(start, { zone, locale: "en-US" });
  const e = DateTime.fromISO(end, { zone, locale: "en-US" });
  if (!s.isValid || !e.isValid) return `${start}/${end}`;
  const name = UTC_NAMES.has(zone) ? "UTC" : zone;
  const day = "ccc d LLL";
  return s.hasSame(e, "day") ? `${s.toFormat(`${day} HH:mm`)}–${e.toFormat("HH:mm")} ${name}` : `${s.toFormat(`${day} HH:mm`)} – ${e.toFormat(`${day} HH:mm`)} ${name}`;
}

const GRAIN_UNITS = [
  { re: /^PT(\d+)M$/, one: "minute", many: "min" },
  { re: /^PT(\d+)H$/, one: "hour", many: "h" },
  { re: /^P(\d+)D$/, one: "day", many: "days" },
] as const;

/** "PT1M" → "minute", "PT15M" → "15 min", "PT1H" → "hour", "P1D" → "day": what one point covers. */
export function grainWords(interval: string): string {
  for (const u of GRAIN_UNITS) {
    const n = u.re.exec(interval)?.[1];
    if (n !== undefined) return n === "1" ? u.one : `${n} ${u.many}`;
  }
  return interval;
}
