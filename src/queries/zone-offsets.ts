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
 * The same wall-clock time `days` calendar days before `ms` in `zone`, as luxon's
 * `minus({ days })` computes it (without building DateTimes): the local time moved by whole days,
 * then placed in the zone the way luxon's fixOffset does, so a time DST skipped or repeated lands
 * where luxon puts it (the offset before, then the one after, then the later instant of a gap).
 */
export function daysEarlier(ms: number, days: number, zone: Zone): number {
  const before = zone.offset(ms);
  const local = ms + before * 60_000 - days * 86_400_000;
  let guess = local - before * 60_000;
  const second = zone.offset(guess);
  if (second === before) return guess;
  guess -= (second - before) * 60_000;
  const third = zone.offset(guess);
  if (third === second) return guess;
  return local - Math.min(second, third) * 60_000;
}
