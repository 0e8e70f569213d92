// The demo account's traffic: a pure function of (seed, anchor, deployment, minute). The anchor is
// "now" for the data: nothing after it, nothing older than DEMO_HISTORY_DAYS before it.
import { DEMO_DEPLOYMENTS, DEMO_HISTORY_DAYS, type DemoDeployment } from "./demo-resource.ts";
import { MinuteTraffic, type MinuteContext } from "./minute-traffic.ts";
import { hashKey, hashString, Random } from "./seeded-random.ts";
import { trafficProfile, type TrafficProfile } from "./traffic-profiles.ts";

export interface DemoTrafficOptions {
  readonly seed?: number;
  readonly anchor: Date;
}

export const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

interface Burst {
  readonly start: number;
  readonly length: number;
  readonly rate: number;
}

const STAGE_DAY = 10;
const STAGE_BURST = 11;

export class DemoTraffic {
  readonly seed: number;
  readonly anchor: Date;
  /** First minute with data (inclusive), epoch ms. */
  readonly dataStart: number;
  /** End of data (exclusive): the minute the anchor falls in has not finished yet. */
  readonly dataEnd: number;
  private readonly ctx: MinuteContext;
  private readonly keys: ReadonlyMap<string, number>;
  /** Last day wobble and burst plan per deployment: queries walk minutes in order, so these hit. */
  private readonly dayMemo = new Map<number, { day: number; wobble: number }>();
  private readonly hourMemo = new Map<number, { hour: number; burst: Burst | undefined }>();

  constructor(options: DemoTrafficOptions) {
    this.seed = options.seed ?? 42;
    this.anchor = options.anchor;
    const anchorMinute = Math.floor(options.anchor.getTime() / MINUTE_MS) * MINUTE_MS;
    this.dataEnd = anchorMinute;
    this.dataStart = anchorMinute - DEMO_HISTORY_DAYS * DAY_MS;
    this.ctx = { seed: this.seed, anchorMinuteMs: anchorMinute };
    this.keys = new Map(DEMO_DEPLOYMENTS.map((d) => [d.name, hashString(d.name)]));
  }

  hasData(minuteMs: number): boolean {
    return minuteMs >= this.dataStart && minuteMs < this.dataEnd;
  }

  /** The deployment's minute starting at `minuteMs` (a whole minute), or undefined outside the data. */
  at(deployment: DemoDeployment, minuteMs: number): MinuteTraffic | undefined {
    const cursor = this.cursor(deployment);
    return this.move(cursor, minuteMs) ? cursor : undefined;
  }

  /** A reusable MinuteTraffic for walking many minutes of one deployment without allocating. */
  cursor(deployment: DemoDeployment): MinuteTraffic {
    const key = this.keys.get(deployment.name) ?? hashString(deployment.name);
    return new MinuteTraffic(this.ctx, deployment, key, trafficProfile(deployment.name));
  }

  /** Points the cursor at `minuteMs`; false (cursor unchanged) outside the data window. */
  move(cursor: MinuteTraffic, minuteMs: number): boolean {
    if (!this.hasData(minuteMs)) return false;
    const key = this.keys.get(cursor.deployment.name) ?? hashString(cursor.deployment.name);
    cursor.moveTo(minuteMs, this.demand(key, trafficProfile(cursor.deployment.name), minuteMs));
    return true;
  }

  /** Mean requests per minute arriving before throttling: daily and weekly rhythm, day-to-day wobble, slow growth. */
  private demand(key: number, p: TrafficProfile, minuteMs: number): number {
    const day = Math.floor(minuteMs / DAY_MS);
    // 1970-01-01 was a Thursday, so day + 4 modulo 7 counts from Sunday.
    const weekday = (day + 4) % 7;
    const weekend = weekday === 0 || weekday === 6;
    const dayWobble = this.dayWobble(key, day);
    const growth = 1 - (0.003 * (this.dataEnd - minuteMs)) / DAY_MS;
    const rhythm = p.nightShare + (1 - p.nightShare) * (BUSINESS_HOURS[(minuteMs - day * DAY_MS) / MINUTE_MS] ?? 0);
    let mean = p.peakPerMinute * rhythm * (weekend ? p.weekendShare : 1) * dayWobble * growth;
    if (p.bursts) mean += this.burst(key, p.bursts, minuteMs);
    return mean;
  }

  private dayWobble(key: number, day: number): number {
    const memo = this.dayMemo.get(key);
    if (memo?.day === day) return memo.wobble;
    const wobble = new Random(hashKey(this.seed, key, day, STAGE_DAY)).lognormal(0.08);
    this.dayMemo.set(key, { day, wobble });
    return wobble;
  }

  /** Indexing jobs ignore office hours: an hour holds at most one burst of a few minutes. */
  private burst(key: number, b: NonNullable<TrafficProfile["bursts"]>, minuteMs: number): number {
    const hour = Math.floor(minuteMs / HOUR_MS);
    let memo = this.hourMemo.get(key);
    if (memo?.hour !== hour) {
      const rnd = new Random(hashKey(this.seed, key, hour, STAGE_BURST));
      const burst = rnd.next() < b.perHourChance ? { start: rnd.int(0, 45), length: rnd.int(4, 14), rate: rnd.between(b.minPerMinute, b.maxPerMinute) } : undefined;
      memo = { hour, burst };
      this.hourMemo.set(key, memo);
    }
    const offset = (minuteMs - hour * HOUR_MS) / MINUTE_MS;
    const burst = memo.burst;
    return burst !== undefined && offset >= burst.start && offset < burst.start + burst.length ? burst.rate : 0;
  }
}

/** Relative load by UTC minute of day for a Europe-based team: morning and afternoon peaks, a lunch dip, quiet nights. */
const BUSINESS_HOURS = Float64Array.from({ length: 1440 }, (_, minute) => {
  const hour = minute / 60;
  const bump = (centre: number, width: number) => Math.exp(-(((hour - centre) / width) ** 2));
  return Math.min(1, 0.95 * bump(10.5, 2.2) + bump(14.5, 2.2));
});
