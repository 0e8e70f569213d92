// Shared set-up for the demo tests: the real @azure/arm-monitor client wired to the simulator.
import { MonitorClient, type Metric, type MetricValue } from "@azure/arm-monitor";
import { simulatorHttpClient } from "../../src/demo/http-client.ts";
import { SimulatedAzureMonitor } from "../../src/demo/simulator.ts";

/** A Friday, during European business hours: the pinned clock of most demo tests. */
export const NOW = new Date("2026-11-27T12:34:56Z");
/** The minute NOW falls in. */
export const NOW_MINUTE = Date.parse("2026-11-27T12:34:00Z");

/** A clock the test moves by hand, as a long-running process sees time pass. */
export class FakeClock {
  private ms: number;

  constructor(start: Date | string) {
    this.ms = new Date(start).getTime();
  }

  readonly now = (): Date => new Date(this.ms);

  advance(ms: number): void {
    this.ms += ms;
  }
}

export const fakeCredential = {
  getToken: () => Promise.resolve({ token: "demo", expiresOnTimestamp: Date.now() + 3_600_000 }),
};

export function demoClient(sim: SimulatedAzureMonitor = new SimulatedAzureMonitor({ now: () => NOW })): MonitorClient {
  return new MonitorClient(fakeCredential, {
    endpoint: "https://management.azure.com",
    httpClient: simulatorHttpClient(sim),
    retryOptions: { maxRetries: 0 },
  });
}

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** `start/end` for minutes relative to NOW's minute, e.g. span(-50, 0) is the 50 minutes before it. */
export function span(fromMinutes: number, toMinutes: number): string {
  return `${iso(NOW_MINUTE + fromMinutes * 60_000)}/${iso(NOW_MINUTE + toMinutes * 60_000)}`;
}

/** The series of a split response keyed by their dimension values joined with "/". */
export function byKey(metric: Metric | undefined): Map<string, MetricValue[]> {
  const out = new Map<string, MetricValue[]>();
  for (const ts of metric?.timeseries ?? []) {
    const key = (ts.metadatavalues ?? []).map((m) => m.value ?? "").join("/");
    out.set(key, ts.data ?? []);
  }
  return out;
}

export function onlySeries(metric: Metric | undefined): MetricValue[] {
  const series = metric?.timeseries ?? [];
  if (series.length !== 1) throw new Error(`expected one time series, got ${series.length}`);
  return series[0]?.data ?? [];
}

export function sumOf(points: readonly MetricValue[], field: "total" | "count"): number {
  let s = 0;
  for (const p of points) s += p[field] ?? 0;
  return s;
}

/** Σ average×count / Σ count: how a window's average is built from its points. */
export function weightedAverage(points: readonly MetricValue[]): number {
  let n = 0;
  let s = 0;
  for (const p of points) {
    if (p.average === undefined || p.count === undefined) continue;
    n += p.count;
    s += p.average * p.count;
  }
  return s / n;
}
