import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEMO_DEPLOYMENTS, type DemoDeployment } from "../../src/demo/demo-resource.ts";
import { throttledShare, latencyFactor } from "../../src/demo/incidents.ts";
import { LATENCY_SLOT, MinuteTraffic, TOKEN_SLOT } from "../../src/demo/minute-traffic.ts";
import { hashString } from "../../src/demo/seeded-random.ts";
import { trafficProfile } from "../../src/demo/traffic-profiles.ts";
import { DemoTraffic } from "../../src/demo/traffic.ts";
import { NOW_MINUTE } from "./demo-client.ts";

const traffic = new DemoTraffic({});
const deployment = (name: string): DemoDeployment => {
  const d = DEMO_DEPLOYMENTS.find((x) => x.name === name);
  if (d === undefined) throw new Error(`no demo deployment ${name}`);
  return d;
};
const MINUTE = 60_000;
const DAY = 86_400_000;
/** The 30 days before NOW, where the properties below pick their minutes. */
const FROM = NOW_MINUTE - 30 * DAY;

function minute(t: DemoTraffic, name: string, at: number): MinuteTraffic {
  return t.at(deployment(name), at);
}

function requests(t: DemoTraffic, name: string, at: number): number {
  const m = minute(t, name, at);
  let n = 0;
  for (let s = 0; s < 2; s++) for (let st = 0; st < 5; st++) n += m.count(s, st);
  return n;
}

/** Requests of a deployment over a whole UTC hour of a day. */
function hourTotal(name: string, dayStart: number, hour: number): number {
  let n = 0;
  for (let i = 0; i < 60; i++) n += requests(traffic, name, dayStart + hour * 3_600_000 + i * MINUTE);
  return n;
}

describe("DemoTraffic", () => {
  it("is a pure function of seed, deployment and absolute minute, whatever was computed before", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 * 24 * 60 - 1 }), fc.constantFrom(...DEMO_DEPLOYMENTS.map((d) => d.name)), (offset, name) => {
        const at = FROM + offset * MINUTE;
        const fresh = new DemoTraffic({ seed: 42 });
        // Reading latency first draws requests and tokens in another order than reading requests first.
        const a = minute(fresh, name, at);
        const latencyFirst = a.latencies[0];
        const b = minute(traffic, name, at);
        expect(b.count(1, 0)).toBe(a.count(1, 0));
        expect(b.latencies[0]).toBe(latencyFirst);
        expect(b.tokenTallies[TOKEN_SLOT.prompt * 3]).toBe(a.tokenTallies[TOKEN_SLOT.prompt * 3]);
      }),
      { numRuns: 50 },
    );
  });

  it("gives a reused cursor the same numbers as a fresh minute", () => {
    const cursor = traffic.cursor(deployment("gpt-4o-mini"));
    for (let i = 0; i < 30; i++) {
      const at = NOW_MINUTE - (i + 1) * 97 * MINUTE;
      traffic.move(cursor, at);
      expect(cursor.count(0, 0)).toBe(minute(traffic, "gpt-4o-mini", at).count(0, 0));
      expect(cursor.latencies[LATENCY_SLOT.firstToken * 3]).toBe(minute(traffic, "gpt-4o-mini", at).latencies[LATENCY_SLOT.firstToken * 3]);
    }
  });

  it("peaks in European business hours, drops at night and on weekends; gpt-4o-mini is busiest", () => {
    const wednesday = Date.parse("2026-11-25T00:00:00Z");
    const sunday = Date.parse("2026-11-22T00:00:00Z");
    const peak = hourTotal("gpt-4o-mini", wednesday, 14);
    expect(hourTotal("gpt-4o-mini", wednesday, 3)).toBeLessThan(peak / 4);
    expect(hourTotal("gpt-4o-mini", sunday, 14)).toBeLessThan(peak / 2);
    expect(peak).toBeGreaterThan(hourTotal("gpt-4o", wednesday, 14));
    expect(peak).toBeGreaterThan(hourTotal("gpt-4o-ptu", wednesday, 14));
  });

  it("sends embeddings in bursts several times the usual rate", () => {
    const perMinute: number[] = [];
    for (let at = NOW_MINUTE - 3 * DAY; at < NOW_MINUTE; at += MINUTE) perMinute.push(requests(traffic, "text-embedding-3-large", at));
    const sorted = [...perMinute].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    expect(sorted.at(-1)).toBeGreaterThan(5 * median);
  });

  it("keeps min ≤ mean ≤ max for every measured quantity", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 * 24 * 60 - 1 }), fc.constantFrom(...DEMO_DEPLOYMENTS.map((d) => d.name)), (offset, name) => {
        const m = minute(traffic, name, FROM + offset * MINUTE);
        const l = m.latencies;
        for (let slot = 0; slot <= LATENCY_SLOT.tokensPerSecond; slot++) {
          const [mean = Number.NaN, min = Number.NaN, max = Number.NaN] = [l[slot * 3], l[slot * 3 + 1], l[slot * 3 + 2]];
          if (Number.isNaN(mean)) continue;
          expect(min).toBeLessThanOrEqual(mean + 1e-9);
          expect(max).toBeGreaterThanOrEqual(mean - 1e-9);
        }
        const t = m.tokenTallies;
        const n = m.succeeded;
        for (const slot of [TOKEN_SLOT.prompt, TOKEN_SLOT.completion, TOKEN_SLOT.active]) {
          const [sum = Number.NaN, min = Number.NaN, max = Number.NaN] = [t[slot * 3], t[slot * 3 + 1], t[slot * 3 + 2]];
          if (Number.isNaN(sum)) continue;
          expect(Number.isInteger(sum)).toBe(true);
          expect(min).toBeLessThanOrEqual(sum / n + 1e-9);
          expect(max).toBeGreaterThanOrEqual(sum / n - 1e-9);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("spillover", () => {
  const afternoon = Date.parse("2026-11-26T13:00:00Z");
  const minutes = Array.from({ length: 180 }, (_, i) => afternoon + i * MINUTE);
  const S429 = 2;

  it("sends what gpt-4o-ptu would answer 429 past 100 % utilisation to gpt-4o, minute by minute and stream by stream", () => {
    let spilled = 0;
    for (const at of minutes) {
      const ptu = minute(traffic, "gpt-4o-ptu", at);
      const gpt4o = minute(traffic, "gpt-4o", at);
      for (let s = 0; s < 2; s++) {
        expect(ptu.count(s, S429)).toBe(0);
        let arrived = 0;
        for (let st = 0; st < 5; st++) arrived += gpt4o.spilledInto(s, st);
        expect(arrived).toBe(ptu.spilledOver(s));
        spilled += arrived;
      }
      if (ptu.spilledOver(0) + ptu.spilledOver(1) > 0) expect(ptu.utilisation).toBe(100);
    }
    expect(spilled).toBeGreaterThan(100);
  });

  it("serves spilled requests on gpt-4o next to its own, which stay what they would be without spillover", () => {
    const g = deployment("gpt-4o");
    const alone = new MinuteTraffic({ seed: 42 }, g, hashString(g.name), trafficProfile(g.name));
    let ok = 0;
    let all = 0;
    for (const at of minutes) {
      const served = minute(traffic, "gpt-4o", at);
      traffic.move(alone, at);
      for (let s = 0; s < 2; s++) {
        for (let st = 0; st < 5; st++) {
          expect(served.count(s, st) - served.spilledInto(s, st)).toBe(alone.count(s, st));
          // their latency too: a minute's mean is drawn per cell, whatever the cell's count
          if (alone.count(s, st) > 0) expect(served.latencies[(s * 5 + st) * 3]).toBe(alone.latencies[(s * 5 + st) * 3]);
          all += served.spilledInto(s, st);
        }
        ok += served.spilledInto(s, 0);
      }
      // tokens and latency are drawn over everything served: spilled requests get gpt-4o's
      if (served.succeeded > alone.succeeded) expect(served.tokenTallies[TOKEN_SLOT.prompt * 3]).toBeGreaterThan(alone.tokenTallies[TOKEN_SLOT.prompt * 3] ?? 0);
    }
    expect(ok / all).toBeGreaterThan(0.95);
  });

  it("spills nothing at night, when gpt-4o-ptu is far from its capacity", () => {
    const night = Date.parse("2026-11-26T02:00:00Z");
    for (let i = 0; i < 60; i++) {
      const gpt4o = minute(traffic, "gpt-4o", night + i * MINUTE);
      for (let s = 0; s < 2; s++) for (let st = 0; st < 5; st++) expect(gpt4o.spilledInto(s, st)).toBe(0);
    }
  });
});

describe("scripted incidents", () => {
  const day = Date.parse("2026-11-20T00:00:00Z");
  const at = (hhmm: string, days = 0) => day + days * DAY + Date.parse(`1970-01-01T${hhmm}:00Z`);

  it("throttles gpt-4o-mini every day from 13:30 to 14:40 UTC, and never at other times", () => {
    expect(throttledShare("gpt-4o-mini", at("13:29"))).toBe(0);
    for (const hhmm of ["13:30", "14:00", "14:30", "14:39"]) expect(throttledShare("gpt-4o-mini", at(hhmm))).toBeGreaterThan(0.2);
    expect(throttledShare("gpt-4o-mini", at("14:40"))).toBe(0);
    // the same on any other day, whatever the clock says
    expect(throttledShare("gpt-4o-mini", at("14:30", 400))).toBe(throttledShare("gpt-4o-mini", at("14:30")));
    expect(throttledShare("gpt-4o", at("14:30"))).toBe(0);
  });

  it("slows gpt-4o every day from 10:00 to 10:20 UTC, not gpt-4o-mini", () => {
    expect(latencyFactor("gpt-4o", at("10:05"))).toBeGreaterThan(2.5);
    expect(latencyFactor("gpt-4o", at("10:20"))).toBe(1);
    expect(latencyFactor("gpt-4o", at("09:59"))).toBe(1);
    expect(latencyFactor("gpt-4o-mini", at("10:05"))).toBe(1);
  });
});
