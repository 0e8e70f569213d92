// The demo account's traffic: a pure function of (seed, deployment, absolute minute), defined for
// any minute. Which minutes can be seen at a given moment is ingestion.ts's business, so the same
// minute gives the same numbers whoever asks and whenever.
import { DEMO_DEPLOYMENTS, type DemoDeployment } from "./demo-resource.ts";
import { spilloverSources, spilloverTarget } from "./deployment-limits.ts";
import { MinuteTraffic, type MinuteContext } from "./minute-traffic.ts";
import { hashKey, hashString, Random } from "./seeded-random.ts";
import { trafficProfile, type TrafficProfile } from "./traffic-profiles.ts";

export interface DemoTrafficOptions {
  readonly seed?: number;
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
/** A slow seasonal swell of ±8 % over a year instead of unbounded growth: the demo may run at any date. */
const SEASON = { amplitude: 0.08, days: 365.25 };

export class DemoTraffic {
  readonly seed: number;
  private readonly ctx: MinuteContext;
  private readonly keys: ReadonlyMap<string, number>;
  /** Last day wobble and burst plan per deployment: queries walk minutes in order, so these hit. */
  private readonly dayMemo = new Map<number, { day: number; wobble: number }>();
  private readonly hourMemo = new Map<number, { hour: number; burst: Burst | undefined }>();

  constructor(options: DemoTrafficOptions) {
    this.seed = options.seed ?? 42;
    this.ctx = { seed: this.seed };
    this.keys = new Map(DEMO_DEPLOYMENTS.map((d) => [d.name, hashString(d.name)]));
  }

  /** The deployment's minute starting at `minuteMs` (a whole minute). */
  at(deployment: DemoDeployment, minuteMs: number): MinuteTraffic {
    const cursor = this.cursor(deployment);
    this.move(cursor, minuteMs);
    return cursor;
  }

  /**
   * A reusable MinuteTraffic for walking many minutes of one deployment without allocating. A
   * spillover deployment's cursor carries cursors of the deployments spilling into it: what it
   * serves in a minute depends on their overflow in that minute. Azure accepts only a standard
   * deployment as a spillover target and standard deployments do not spill, so this nests once.
   */
  cursor(deployment: DemoDeployment): MinuteTraffic {
    const key = this.keys.get(deployment.name) ?? hashString(deployment.name);
    const sources = DEMO_DEPLOYMENTS.filter((d) => spilloverSources(deployment.name).includes(d.name)).map((d) => this.cursor(d));
    const spills = spilloverTarget(deployment.name) !== undefined;
    return new MinuteTraffic(this.ctx, deployment, key, trafficProfile(deployment.name), { spills, sources });
  }

  /** Points the cursor (and the cursors of deployments spilling into it) at the minute starting at `minuteMs`. */
  move(cursor: MinuteTraffic, minuteMs: number): void {
    const key = this.keys.get(cursor.deployment.name) ?? hashString(cursor.deployment.name);
    cursor.moveTo(minuteMs, this.demand(key, trafficProfile(cursor.deployment.name), minuteMs));
    for (const source of cursor.spill.sources) this.move(source, minuteMs);
  }

  /** Mean requests per minute arriving before throttling: daily and weekly rhythm, day-to-day wobble, a seasonal swell. */
  private demand(key: number, p: TrafficProfile, minuteMs: number): number {
    const day = Math.floor(minuteMs / DAY_MS);
    // 1970-01-01 was a Thursday, so day + 4 modulo 7 counts from Sunday.
    const weekday = (day + 4) % 7;
    const weekend = weekday === 0 || weekday === 6;
    const dayWobble = this.dayWobble(key, day);
    const season = 1 + SEASON.amplitude * Math.sin((2 * Math.PI * day) / SEASON.days);
    const rhythm = p.nightShare + (1 - p.nightShare) * (BUSINESS_HOURS[(minuteMs - day * DAY_MS) / MINUTE_MS] ?? 0);
    let mean = p.peakPerMinute * rhythm * (weekend ? p.weekendShare : 1) * dayWobble * season;
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
