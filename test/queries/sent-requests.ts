// What reached Azure Monitor, in the plan's terms: a Metrics - List request as the parameters that
// matter (resource, metric names, aggregation, interval, timespan, filter, top, orderby), so a
// received request can be matched with the planned one it came from.
import type { HttpClient } from "@azure/core-rest-pipeline";
import { expect } from "vitest";
import type { MetricsRequest, Plan } from "../../src/queries/plan.ts";
import { plannedSends } from "../../src/queries/request-merge.ts";

export interface Sent {
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
}

const METRICS_PATH = /\/providers\/Microsoft\.Insights\/metrics$/i;
const DEFINITIONS_PATH = /\/providers\/Microsoft\.Insights\/metricDefinitions$/i;

/** A data request (not a deployment-name lookup): the plan lists these under `requests`. */
export const isDataRequest = (s: Sent): boolean => METRICS_PATH.test(s.path) && s.query.resultType !== "Metadata";
/** Deployment-name lookups and metric-definition reads. */
export const isLookup = (s: Sent): boolean => (METRICS_PATH.test(s.path) && s.query.resultType === "Metadata") || DEFINITIONS_PATH.test(s.path);

export function sentKey(s: Sent): string {
  const q = s.query;
  return JSON.stringify([s.path.replace(METRICS_PATH, ""), q.metricnames, q.aggregation, q.interval, q.timespan, q.$filter ?? null, q.top ?? null, q.orderby ?? null]);
}

export function plannedKey(r: MetricsRequest): string {
  return JSON.stringify([r.resourceId, r.metricnames, r.aggregation, r.interval, r.timespan, r.filter ?? null, r.top === undefined ? null : String(r.top), r.orderby ?? null]);
}

/** The SDK's request as the path and query Azure would see. */
export function sentOf(url: string): Sent {
  const u = new URL(url);
  return { path: u.pathname.replace(/\/{2,}/g, "/"), query: Object.fromEntries(u.searchParams.entries()) };
}

/** Wraps an httpClient so every request it sends is recorded. */
export function recording(inner: HttpClient): { client: HttpClient; sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    client: {
      sendRequest: (request) => {
        sent.push(sentOf(request.url));
        return inner.sendRequest(request);
      },
    },
  };
}

/**
 * Every data request received is one the plan lists; every unconditional one was received; the
 * rest are conditional ones (each at most once); and `ran` (the answer's own list) is exactly what arrived.
 */
export function expectSentAsPlanned(received: readonly Sent[], plan: Plan, ran: readonly MetricsRequest[]): void {
  const got = received.filter(isDataRequest).map(sentKey).sort();
  // windows merged into one request (request-merge.ts): the merged one is always sent, its parts only when its cut could differ
  const sends = plannedSends(plan);
  const always = sends.filter((s) => s.parts.every((p) => p.conditional === undefined)).map((s) => plannedKey(s.request));
  const maybe = [...sends.filter((s) => s.parts.length > 1).flatMap((s) => s.parts), ...plan.requests.filter((p) => p.conditional !== undefined)].map((p) => plannedKey(p.request));
  const rest = [...got];
  for (const key of always) {
    const at = rest.indexOf(key);
    expect(at, `planned request was not sent: ${key}`).toBeGreaterThanOrEqual(0);
    rest.splice(at, 1);
  }
  for (const key of rest) {
    const at = maybe.indexOf(key);
    expect(at, `sent a request the plan does not list: ${key}`).toBeGreaterThanOrEqual(0);
    maybe.splice(at, 1);
  }
  expect(got).toEqual(ran.map(plannedKey).sort());
}
