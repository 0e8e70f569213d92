import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEMO_DEPLOYMENTS, type DemoDeployment } from "../../src/demo/demo-resource.ts";
import { throttledShare, latencyFactor } from "../../src/demo/incidents.ts";
import { LATENCY_SLOT, TOKEN_SLOT, type MinuteTraffic } from "../../src/demo/minute-traffic.ts";
import { DemoTraffic } from "../../src/demo/traffic.ts";
import { ANCHOR, ANCHOR_MINUTE } from "./demo-client.ts";

const traffic = new DemoTraffic({ anchor: ANCHOR });
const deployment = (name: string): DemoDeployment => {
  const d = DEMO_DEPLOYMENTS.find((x) => x.name === name);
  if (d === undefined) throw new Error(`no demo deployment ${name}`);
  return d;
};
const MINUTE = 60_000;
const DAY = 86_400_000;

function minute(t: DemoTraffic, name: string, at: number): MinuteTraffic {
  const m = t.at(deployment(name), at);
  if (m === undefined) throw new Error(`no data at ${new Date(at).toISOString()}`);
  return m;
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
  it("holds data for the whole minutes of the 30 days before the anchor, and none after", () => {
    expect(traffic.dataEnd).toBe(ANCHOR_MINUTE);
    expect(traffic.dataStart).toBe(ANCHOR_MINUTE - 30 * DAY);
    expect(traffic.at(deployment("gpt-4o"), ANCHOR_MINUTE)).toBeUndefined();
    expect(traffic.at(deployment("gpt-4o"), ANCHOR_MINUTE - MINUTE)).toBeDefined();
    expect(traffic.at(deployment("gpt-4o"), traffic.dataStart - MINUTE)).toBeUndefined();
    expect(traffic.at(deployment("gpt-4o"), traffic.dataStart)).toBeDefined();
  });

  it("is a pure function of seed, anchor, deployment and minute, whatever was computed before", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 * 24 * 60 - 1 }), fc.constantFrom(...DEMO_DEPLOYMENTS.map((d) => d.name)), (offset, name) => {
        const at = traffic.dataStart + offset * MINUTE;
        const fresh = new DemoTraffic({ anchor: ANCHOR, seed: 42 });
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
      const at = ANCHOR_MINUTE - (i + 1) * 97 * MINUTE;
      expect(traffic.move(cursor, at)).toBe(true);
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
    for (let at = ANCHOR_MINUTE - 3 * DAY; at < ANCHOR_MINUTE; at += MINUTE) perMinute.push(requests(traffic, "text-embedding-3-large", at));
    const sorted = [...perMinute].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    expect(sorted.at(-1)).toBeGreaterThan(5 * median);
  });

  it("keeps min ≤ mean ≤ max for every measured quantity", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 * 24 * 60 - 1 }), fc.constantFrom(...DEMO_DEPLOYMENTS.map((d) => d.name)), (offset, name) => {
        const m = minute(traffic, name, traffic.dataStart + offset * MINUTE);
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

describe("scripted incidents", () => {
  it("throttles gpt-4o-mini daily 14:00-14:40 UTC and in the 50 minutes ending 10 minutes before the anchor", () => {
    const day = Date.parse("2026-11-20T00:00:00Z");
    expect(throttledShare("gpt-4o-mini", day + 14 * 3_600_000, ANCHOR_MINUTE)).toBeGreaterThan(0.2);
    expect(throttledShare("gpt-4o-mini", day + 14 * 3_600_000 + 40 * MINUTE, ANCHOR_MINUTE)).toBe(0);
    expect(throttledShare("gpt-4o-mini", ANCHOR_MINUTE - 60 * MINUTE, ANCHOR_MINUTE)).toBeGreaterThan(0.2);
    expect(throttledShare("gpt-4o-mini", ANCHOR_MINUTE - 11 * MINUTE, ANCHOR_MINUTE)).toBeGreaterThan(0.2);
    expect(throttledShare("gpt-4o-mini", ANCHOR_MINUTE - 10 * MINUTE, ANCHOR_MINUTE)).toBe(0);
    expect(throttledShare("gpt-4o", ANCHOR_MINUTE - 30 * MINUTE, ANCHOR_MINUTE)).toBe(0);
  });

  it("slows gpt-4o daily 10:00-10:20 UTC and from 3 h to 2 h 40 min before the anchor", () => {
    const day = Date.parse("2026-11-20T00:00:00Z");
    expect(latencyFactor("gpt-4o", day + 10 * 3_600_000 + 5 * MINUTE, ANCHOR_MINUTE)).toBeGreaterThan(2.5);
    expect(latencyFactor("gpt-4o", day + 10 * 3_600_000 + 20 * MINUTE, ANCHOR_MINUTE)).toBe(1);
    expect(latencyFactor("gpt-4o", ANCHOR_MINUTE - 170 * MINUTE, ANCHOR_MINUTE)).toBeGreaterThan(3);
    expect(latencyFactor("gpt-4o", ANCHOR_MINUTE - 160 * MINUTE, ANCHOR_MINUTE)).toBe(1);
    expect(latencyFactor("gpt-4o-mini", ANCHOR_MINUTE - 170 * MINUTE, ANCHOR_MINUTE)).toBe(1);
  });
});
