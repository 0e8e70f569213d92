// The demo's "now" is a clock, not a snapshot: past minutes answer the same whenever they are
// asked, new minutes land a minute or two after they close, and the afternoon's incident ends.
import type { Metric, MetricsListOptionalParams, MetricValue } from "@azure/arm-monitor";
import { describe, expect, it } from "vitest";
import { DEMO_RESOURCE_ID } from "../../src/demo/demo-resource.ts";
import { SimulatedAzureMonitor } from "../../src/demo/simulator.ts";
import { byKey, demoClient, FakeClock, iso, onlySeries, sumOf, weightedAverage } from "./demo-client.ts";

const MINUTE = 60_000;

function simAt(now: Date | string, options: { hourCacheValues?: number } = {}): SimulatedAzureMonitor {
  const at = new Date(now);
  return new SimulatedAzureMonitor({ now: () => at, ...options });
}

async function list(sim: SimulatedAzureMonitor, options: MetricsListOptionalParams): Promise<Metric[]> {
  return (await demoClient(sim).metrics.list(DEMO_RESOURCE_ID, options)).value;
}

/** Start of the newest point holding a value; -Infinity when none does. */
function newestWithData(points: readonly MetricValue[]): number {
  let newest = -Infinity;
  for (const p of points) if (p.total !== undefined) newest = Math.max(newest, p.timeStamp.getTime());
  return newest;
}

/** Points holding a value of any aggregation, over all series. */
function valuesIn(metric: Metric): number {
  return metric.timeseries.flatMap((ts) => ts.data ?? []).filter((p) => p.total !== undefined || p.average !== undefined || p.maximum !== undefined).length;
}

/** What a condition report or a chat answer reads, asked for a past window. */
const PAST_WINDOW_QUERIES: readonly MetricsListOptionalParams[] = [
  { metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "PT1M", filter: "ModelDeploymentName eq '*' and StatusCode eq '*'", top: 100 },
  { metricnames: "AzureOpenAITimeToResponse", aggregation: "Average,Count,Maximum", interval: "PT5M", filter: "ModelDeploymentName eq '*' and StatusCode eq '*'", top: 100 },
  { metricnames: "ProcessedPromptTokens,GeneratedTokens,AzureOpenAIProvisionedManagedUtilizationV2,RAIRejectedRequests", aggregation: "Total,Maximum", interval: "FULL", filter: "ModelDeploymentName eq '*'" },
];

describe("a past window", () => {
  it.each(PAST_WINDOW_QUERIES.map((q) => [q.metricnames, q] as const))("answers %s for 2026-11-30 14:00-15:00 the same the same afternoon and the next morning", async (_, query) => {
    const timespan = "2026-11-30T14:00:00Z/2026-11-30T15:00:00Z";
    const sameAfternoon = await list(simAt("2026-11-30T16:00:00Z"), { ...query, timespan });
    const nextMorning = await list(simAt("2026-12-01T09:00:00Z"), { ...query, timespan });
    expect(nextMorning).toEqual(sameAfternoon);
    // every metric asked had figures in that hour, so the comparison is not between two empty answers
    for (const metric of sameAfternoon) expect(valuesIn(metric)).toBeGreaterThan(0);
  });

  it("gives whole past days the same totals whether the clock says the next day or a week later", async () => {
    const query = { metricnames: "AzureOpenAIRequests,TokenTransaction", aggregation: "Total", interval: "PT1H", timespan: "2026-11-25T00:00:00Z/2026-11-27T00:00:00Z", filter: "ModelDeploymentName eq '*'" };
    const soon = await list(simAt("2026-11-27T00:05:00Z"), query);
    const later = await list(simAt("2026-12-04T12:00:00Z"), query);
    expect(later).toEqual(soon);
    expect(sumOf(byKey(soon[0]).get("gpt-4o-mini") ?? [], "total")).toBeGreaterThan(100_000);
  });
});

describe("a simulator left running", () => {
  it("answers the newest minute as its clock advances, and keeps the minutes it already served", async () => {
    const clock = new FakeClock("2026-11-30T11:00:00Z");
    const sim = new SimulatedAzureMonitor({ now: clock.now });
    const lastTenMinutes = { metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "PT1M", timespan: "PT10M" };
    const first = onlySeries((await list(sim, lastTenMinutes))[0]);
    const firstNewest = newestWithData(first);
    for (let step = 1; step <= 6; step++) {
      clock.advance(MINUTE);
      const now = clock.now().getTime();
      const points = onlySeries((await list(sim, lastTenMinutes))[0]);
      const newest = newestWithData(points);
      // the newest minute with data closed at most 150 s before now, and it is never still open
      expect(newest + MINUTE).toBeLessThanOrEqual(now);
      expect(newest + MINUTE).toBeGreaterThan(now - 150_000);
      // a fresh simulator at the same instant agrees: the running one is not stuck at its start
      expect(points).toEqual(onlySeries((await list(simAt(clock.now()), lastTenMinutes))[0]));
    }
    expect(newestWithData(onlySeries((await list(sim, lastTenMinutes))[0]))).toBeGreaterThanOrEqual(firstNewest + 5 * MINUTE);
    // what was served first is unchanged, asked again by absolute time
    const again = onlySeries((await list(sim, { ...lastTenMinutes, timespan: `${iso(first[0]!.timeStamp.getTime())}/${iso(firstNewest + MINUTE)}` }))[0]);
    expect(again.map((p) => p.total)).toEqual(first.filter((p) => p.total !== undefined).map((p) => p.total));
  });
});

describe("ingestion delay", () => {
  it("leaves the newest one or two whole minutes out at a whole-minute now, and everything before is complete", async () => {
    const missingCounts = new Set<number>();
    for (let k = 0; k < 40; k++) {
      const now = Date.parse("2026-11-30T09:00:00Z") + k * 7 * MINUTE;
      const query = { metricnames: "AzureOpenAIRequests,TokenTransaction", aggregation: "Total", interval: "PT1M", timespan: `${iso(now - 15 * MINUTE)}/${iso(now)}` };
      const seen = await list(simAt(new Date(now)), query);
      const complete = await list(simAt(new Date(now + 3_600_000)), query);
      for (const [i, metric] of seen.entries()) {
        const points = onlySeries(metric);
        const full = onlySeries(complete[i]);
        expect(points).toHaveLength(15);
        const missing = points.filter((p) => p.total === undefined).length;
        expect(missing, new Date(now).toISOString()).toBeGreaterThanOrEqual(1);
        expect(missing, new Date(now).toISOString()).toBeLessThanOrEqual(2);
        missingCounts.add(missing);
        // the missing minutes are the newest ones; the minutes before are exactly what they will be
        expect(points.slice(-missing).every((p) => p.total === undefined)).toBe(true);
        expect(points.slice(0, -missing)).toEqual(full.slice(0, -missing));
        expect(full.every((p) => (p.total ?? 0) > 0)).toBe(true);
      }
    }
    // both happen: minutes land between 5 and 90 s after they close
    expect([...missingCounts].sort()).toEqual([1, 2]);
  });

  it("shows the same freshness to every metric, so a missing minute is missing for the whole resource", async () => {
    const now = new Date("2026-11-30T10:17:30Z");
    const res = await list(simAt(now), { metricnames: "AzureOpenAIRequests,AzureOpenAITimeToResponse,ProcessedPromptTokens", aggregation: "Total,Count", interval: "PT1M", timespan: "PT10M", filter: "ModelDeploymentName eq '*'" });
    const newest = res.flatMap((m) => [...byKey(m).values()].map((points) => Math.max(...points.filter((p) => (p.count ?? 0) > 0 || (p.total ?? 0) > 0).map((p) => p.timeStamp.getTime()))));
    expect(new Set(newest).size).toBe(1);
  });
});

describe("the daily throttling incident on gpt-4o-mini", () => {
  const statusQuery = (timespan: string) => ({ metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "FULL", timespan, filter: "ModelDeploymentName eq 'gpt-4o-mini' and StatusCode eq '*'" });
  const share429 = (metric: Metric | undefined) => {
    const byStatus = byKey(metric);
    const all = [...byStatus.values()].reduce((s, points) => s + sumOf(points, "total"), 0);
    return { throttled: sumOf(byStatus.get("429") ?? [], "total"), all };
  };

  it("throttles a large share of calls in the hour before 14:30, with 429s answered in milliseconds and successes in about a second", async () => {
    const sim = simAt("2026-12-01T14:30:00Z");
    const { throttled, all } = share429((await list(sim, statusQuery("PT1H")))[0]);
    expect(throttled / all).toBeGreaterThan(0.3);
    expect(throttled / all).toBeLessThan(0.5);
    const latency = byKey((await list(sim, { metricnames: "AzureOpenAITimeToResponse", aggregation: "Average,Count", interval: "FULL", timespan: "PT1H", filter: "ModelDeploymentName eq 'gpt-4o-mini' and StatusCode eq '*'" }))[0]);
    expect(weightedAverage(latency.get("429") ?? [])).toBeLessThan(30);
    expect(weightedAverage(latency.get("200") ?? [])).toBeGreaterThan(900);
    expect(weightedAverage(latency.get("200") ?? [])).toBeLessThan(2000);
  });

  it("is over by 14:40: the next hour's 429 share is back to the usual none", async () => {
    const sim = simAt("2026-12-01T16:00:00Z");
    const after = share429((await list(sim, statusQuery("2026-12-01T14:40:00Z/2026-12-01T15:40:00Z")))[0]);
    const before = share429((await list(sim, statusQuery("2026-12-01T12:20:00Z/2026-12-01T13:20:00Z")))[0]);
    expect(after.all).toBeGreaterThan(10_000);
    expect(after.throttled).toBe(0);
    expect(before.throttled).toBe(0);
  });

  it("fires and then resolves for a condition checked every 5 minutes on the last 5 minutes, once each", async () => {
    const clock = new FakeClock("2026-12-01T13:00:00Z");
    const sim = new SimulatedAzureMonitor({ now: clock.now });
    const holding: boolean[] = [];
    while (clock.now() < new Date("2026-12-01T15:30:00Z")) {
      const { throttled } = share429((await list(sim, statusQuery("PT5M")))[0]);
      holding.push(throttled > 50);
      clock.advance(5 * MINUTE);
    }
    const changes = holding.flatMap((h, i) => (i > 0 && h !== holding[i - 1] ? [h ? "fired" : "resolved"] : []));
    expect(holding[0]).toBe(false);
    expect(changes).toEqual(["fired", "resolved"]);
    // resolved within about a quarter of an hour of the burst's end, not hours later
    expect(holding.lastIndexOf(true)).toBeLessThan((Date.parse("2026-12-01T14:55:00Z") - Date.parse("2026-12-01T13:00:00Z")) / (5 * MINUTE));
  });
});

describe("memory", () => {
  it("keeps the hour cache under its cap over many days, with the same answers as an uncapped one", async () => {
    const cap = 6_000;
    const capped = simAt("2026-12-01T12:00:00Z", { hourCacheValues: cap });
    const roomy = simAt("2026-12-01T12:00:00Z");
    const query = { metricnames: "AzureOpenAIRequests,AzureOpenAITimeToResponse,TokenTransaction,RAIHarmfulRequests", aggregation: "Total,Average", interval: "P1D", timespan: "P10D", filter: "ModelDeploymentName eq '*'" };
    for (let round = 0; round < 2; round++) {
      expect(await list(capped, query)).toEqual(await list(roomy, query));
      expect(capped.cachedValues).toBeLessThanOrEqual(cap);
      expect(capped.cachedValues).toBeGreaterThan(cap / 2);
    }
    // ten days of four metrics fit the default cap, so a repeated question is served from the cache
    expect(roomy.cachedValues).toBeGreaterThan(cap);
  });
});
