// An IANA zone whose UTC offsets are remembered per UTC minute. luxon asks a zone for its offset
// several times per DateTime operation, and an IANA zone answers each ask with Intl's
// formatToParts, which dominated planning. Remembering per minute is exact: an offset changes only
// at a transition, and every transition since 1972 (when the last offset with seconds, Liberia's,
// ended) falls on a whole UTC minute, so one minute has one offset. Earlier instants are not
// remembered (asked of the zone itself), and neither is anything of a zone luxon reads another way
// ("UTC", "UTC+2", an invalid name): those are given to luxon as they were named.
import { IANAZone, Info, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from "luxon";

/** 1972-07-01T00:00Z: from here on, transitions are on whole minutes. */
const WHOLE_MINUTES_FROM = Date.UTC(1972, 6, 1);
/** Minutes remembered per zone before starting afresh: a few days of distinct minutes. */
const MAX_MINUTES = 8192;

class MinuteMemoZone extends Zone {
  readonly #zone: Zone;
  readonly #offsets = new Map<number, number>();

  constructor(zone: Zone) {
    super();
    this.#zone = zone;
  }

  override get type(): string {
    return this.#zone.type;
  }

  override get name(): string {
    return this.#zone.name;
  }

  override get isUniversal(): boolean {
    return this.#zone.isUniversal;
  }

  override get isValid(): true {
    return true;
  }

  override offsetName(ts: number, options: ZoneOffsetOptions): string {
    return this.#zone.offsetName(ts, options) ?? "";
  }

  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return this.#zone.formatOffset(ts, format);
  }

  override equals(other: Zone): boolean {
    return other.type === this.type && other.name === this.name;
  }

  override offset(ts: number): number {
    if (!(ts >= WHOLE_MINUTES_FROM)) return this.#zone.offset(ts);
    const minute = Math.floor(ts / 60_000);
    let offset = this.#offsets.get(minute);
    if (offset === undefined) {
      offset = this.#zone.offset(minute * 60_000);
      if (this.#offsets.size >= MAX_MINUTES) this.#offsets.clear();
      this.#offsets.set(minute, offset);
    }
    return offset;
  }
}

const ZONES = new Map<string, MinuteMemoZone | string>();

/** The zone to give luxon for `name`: a remembering IANA zone, or the name itself when luxon reads it otherwise. */
export function zoneNamed(name: string): Zone | string {
  let zone = ZONES.get(name);
  if (zone === undefined) {
    const normal = Info.normalizeZone(name);
    zone = normal instanceof IANAZone && normal.isValid ? new MinuteMemoZone(normal) : name;
    if (ZONES.size > 100) ZONES.clear();
    ZONES.set(name, zone);
  }
  return zone;
}

/**
 * The instant of wall-clock time `local` (epoch ms as if the zone were UTC) in `zone`, placed as
 * luxon's fixOffset places it from a first guess of the offset: a time DST repeated keeps the guess
 * when it fits, and a time DST skipped moves on by the hour skipped.
 */
export function placeLocal(local: number, guess: number, zone: Zone): number {
  let at = local - guess * 60_000;
  const second = zone.offset(at);
  if (second === guess) return at;
  at -= (second - guess) * 60_000;
  const third = zone.offset(at);
  if (third === second) return at;
  return local - Math.min(second, third) * 60_000;
}

/** The same wall-clock time `days` calendar days before `ms` in `zone`, as luxon's `minus({ days })` computes it, without building DateTimes. */
export function daysEarlier(ms: number, days: number, zone: Zone): number {
  const offset = zone.offset(ms);
  return placeLocal(ms + offset * 60_000 - days * 86_400_000, offset, zone);
}

/** The local midnight that starts the day of `ms` in `zone`, as luxon's `startOf("day")` computes it. */
export function startOfDay(ms: number, zone: Zone): number {
  const offset = zone.offset(ms);
  const local = ms + offset * 60_000;
  return placeLocal(local - (((local % 86_400_000) + 86_400_000) % 86_400_000), offset, zone);
}

const DAY_MS = 86_400_000;

/** Epoch ms of `ms` read as wall-clock time in `zone` (as if the zone were UTC), with the offset used. */
function wallClock(ms: number, zone: Zone): { wall: number; offset: number } {
  const offset = zone.offset(ms);
  return { wall: ms + offset * 60_000, offset };
}

function midnightOf(wall: number): number {
  return wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
}

/** `hour`:`minute`:00.000 on the local day of `ms` in `zone`, as luxon's `set({ hour, minute, second: 0, millisecond: 0 })` computes it. */
export function atClock(ms: number, hour: number, minute: number, zone: Zone): number {
  const { wall, offset } = wallClock(ms, zone);
  return placeLocal(midnightOf(wall) + hour * 3_600_000 + minute * 60_000, offset, zone);
}

/** The local midnight that starts the ISO week (Monday) of `ms` in `zone`, as luxon's `startOf("week")` computes it. */
export function startOfWeek(ms: number, zone: Zone): number {
  const { wall, offset } = wallClock(ms, zone);
  const day = Math.floor(wall / DAY_MS);
  // 1970-01-01 was a Thursday: ISO weekday 4, so Monday is 3 days before it
  const sinceMonday = (((day + 3) % 7) + 7) % 7;
  return placeLocal((day - sinceMonday) * DAY_MS, offset, zone);
}

/** The local midnight that starts the month of `ms` in `zone`, as luxon's `startOf("month")` computes it. */
export function startOfMonth(ms: number, zone: Zone): number {
  const { wall, offset } = wallClock(ms, zone);
  const date = new Date(wall);
  // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999
  const first = new Date(0);
  first.setUTCFullYear(date.getUTCFullYear(), date.getUTCMonth(), 1);
  return placeLocal(first.getTime(), offset, zone);
}
