// Daily summaries of many accounts in one region go through the metrics batch API: the real
// @azure/monitor-query-metrics client against the loopback fake's metrics:getBatch route, whose
// every account is answered as that account's own Metrics - List request would be, so a batched
// summary can be compared figure for figure with the per-resource one over the same data.
import { RestError, type HttpClient } from "@azure/core-rest-pipeline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { azureApiOf } from "../../src/app/azure-requests.ts";
import { AzureMetrics } from "../../src/queries/azure-metrics.ts";
import { BATCH_SCOPE, BatchMetrics } from "../../src/queries/batch-metrics.ts";
import { AzureRequestError } from "../../src/queries/errors.ts";
import type { DailySummary } from "../../src/queries/daily-summary.ts";
import { readSummaries } from "../../src/queries/summaries.ts";
import { planSummary } from "../../src/queries/summary-plan.ts";
import { summaryReport } from "../../src/schedules/reports/summary.ts";
import { batchRoute, FakeAzureMonitor } from "../fakes/azure-monitor.ts";
import { fleet, fleetMetrics, FLEET_REGION, FLEET_SUBSCRIPTION, SILENT } from "../fakes/metrics-fleet.ts";
import { isDataRequest } from "./sent-requests.ts";

const SUB = FLEET_SUBSCRIPTION;
const REGION = FLEET_REGION;
/** 06:00 UTC on Sunday: the summary covers Saturday 28 Nov, compared with Friday. */
const SLOT = new Date("2026-11-29T06:00:00Z");
const perResource = fleetMetrics;

let fake: FakeAzureMonitor;
let scopes: string[][];
const credential = {
  getToken(s: string | string[]) {
    scopes.push(Array.isArray(s) ? s : [s]);
    return Promise.resolve({ token: "fake-token", expiresOnTimestamp: Date.now() + 3_600_000 });
  },
};

/** The summary reader over the fake; `batch` false: the per-resource path only. `regions`: which accounts' regions are configured. */
function serviceFor(ids: readonly string[], options: { batch?: boolean; regions?: readonly string[] } = {}) {
  const metrics = new AzureMetrics({ credential, endpoint: "https://management.azure.com", httpClient: fake.httpClient(), retry: { baseDelayMs: 1, maxDelayMs: 1 } });
  const regions = Object.fromEntries((options.regions ?? ids).map((id) => [id.toLowerCase(), REGION]));
  const readers = options.batch === false ? { metrics } : { metrics, batch: new BatchMetrics({ metrics, credential, httpClient: fake.httpClient(), regions }) };
  return {
    summaries: (resources: readonly string[], slot: Date, zone: string) => readSummaries(readers, resources, slot, zone),
    summary: async (resource: string, slot: Date, zone: string) => (await readSummaries(readers, [resource], slot, zone))[0]!,
  };
}

/** What a summary says, without the request list (batched and unbatched plan the same requests). */
const figuresOf = (s: DailySummary) => ({ resource: s.resource, totals: s.totals, deployments: s.deployments, refused: s.refused });

const dataRequests = () => fake.requests.filter(isDataRequest);

beforeEach(async () => {
  scopes = [];
  fake = await new FakeAzureMonitor().start();
});
afterEach(async () => {
  await fake.close();
});

describe("daily summaries of many accounts in one region", () => {
  it("20 accounts: two metrics:getBatch calls at the region's endpoint, the same figures as one Metrics - List per account", async () => {
    const ids = fleet(20);
    fake.handler = batchRoute(perResource(), { subscriptionAccess: true });
    const batched = await serviceFor(ids).summaries(ids, SLOT, "UTC");
    const batches = fake.batchRequests();
    expect(batches).toHaveLength(2);
    expect(dataRequests()).toHaveLength(0);
    // the documented regional host and path, with the token audience the batch API takes
    const urls = fake.sentUrls.filter((u) => u.includes("metrics:getBatch"));
    expect(urls.map((u) => `${new URL(u).origin}${new URL(u).pathname}`)).toEqual([`https://${REGION}.metrics.monitor.azure.com/subscriptions/${SUB}/metrics:getBatch`, `https://${REGION}.metrics.monitor.azure.com/subscriptions/${SUB}/metrics:getBatch`]);
    expect(scopes).toContainEqual([BATCH_SCOPE]);
    // the plan's parameters in the batch's names: filter without `$`, the window as starttime/endtime, top explicit
    const [http] = planSummary(ids[0]!, SLOT, "UTC").requests;
    const first = batches.find((b) => b.query.metricnames === "AzureOpenAIRequests")!;
    expect(first.method).toBe("POST");
    expect(first.query).toMatchObject({ "api-version": "2024-02-01", metricnamespace: "Microsoft.CognitiveServices/accounts", filter: http.filter, top: "1000", orderby: "Total desc", interval: "PT1H", aggregation: "Total" });
    expect(`${first.query.starttime}/${first.query.endtime}`.replace(/\.000Z/g, "Z")).toBe(http.timespan);
    expect((JSON.parse(first.body ?? "{}") as { resourceids: string[] }).resourceids).toEqual(ids);

    fake.requests.length = 0;
    const single = await serviceFor(ids, { batch: false }).summaries(ids, SLOT, "UTC");
    expect(fake.batchRequests()).toHaveLength(0);
    expect(dataRequests()).toHaveLength(40);
    expect(batched.map(figuresOf)).toEqual(single.map(figuresOf));
    expect(batched[2]!.totals.requests).toEqual({ value: 303, previous: 276 });
    // the report says how its figures were read
    expect(batched.map((s) => s.batchedIn)).toEqual(ids.map(() => REGION));
    expect(single.map((s) => s.batchedIn)).toEqual(ids.map(() => undefined));
    expect(summaryReport(batched[2]!).footnotes[0]).toContain(`2 Metrics - List requests, sent with other accounts' as metrics:getBatch calls in ${REGION}`);
    expect(batched[2]!.totals.throttled).toEqual({ value: 3, previous: 6 });
  });

  it("a summary read again while its responses are kept sends nothing; /metrics counts batch calls as their own API", async () => {
    const ids = fleet(20);
    fake.handler = batchRoute(perResource(), { subscriptionAccess: true });
    const service = serviceFor(ids);
    const first = await service.summaries(ids, SLOT, "UTC");
    const sent = fake.requests.length;
    const again = await service.summaries(ids, SLOT, "UTC");
    expect(fake.requests.length).toBe(sent);
    expect(again.map(figuresOf)).toEqual(first.map(figuresOf));
    expect(azureApiOf(fake.sentUrls.find((u) => u.includes("metrics:getBatch"))!)).toBe("metrics_batch");
  });

  it("an account with no data stays no data when batched, never 0", async () => {
    const ids = fleet(10);
    fake.handler = batchRoute(perResource(), { subscriptionAccess: true });
    const silent = (await serviceFor(ids).summaries(ids, SLOT, "UTC"))[SILENT - 1]!;
    expect(fake.batchRequests()).toHaveLength(2);
    expect(silent.resource.name).toBe(`aoai-${SILENT}`);
    expect(silent.totals.requests).toEqual({ value: null, previous: null });
    expect(silent.totals.ttrAvg).toEqual({ value: null, previous: null });
    expect(silent.deployments).toEqual([]);
    expect(silent.refused).toBeUndefined();
  });

  it("60 accounts: at most 50 per call, so each of the two requests goes as 2 calls", async () => {
    const ids = fleet(60);
    fake.handler = batchRoute(perResource(), { subscriptionAccess: true });
    const summaries = await serviceFor(ids).summaries(ids, SLOT, "UTC");
    const sizes = fake.batchRequests().map((b) => (JSON.parse(b.body ?? "{}") as { resourceids: string[] }).resourceids.length);
    expect(sizes.sort((a, b) => a - b)).toEqual([10, 10, 50, 50]);
    expect(dataRequests()).toHaveLength(0);
    expect(summaries[59]!.totals.requests).toEqual({ value: 6060, previous: 5520 });
  });

  it("403 (no Monitoring Reader on the subscription): per-resource calls with the same figures, and the next summary does not try the batch again", async () => {
    const ids = fleet(20);
    fake.handler = batchRoute(perResource(), { subscriptionAccess: false });
    const service = serviceFor(ids);
    const refused = await service.summaries(ids, SLOT, "UTC");
    // both requests' batches were refused (sent together, before either answer came back)
    expect(fake.batchRequests().length).toBeGreaterThanOrEqual(1);
    expect(fake.batchRequests().length).toBeLessThanOrEqual(2);
    expect(dataRequests()).toHaveLength(40);

    fake.requests.length = 0;
    const next = await service.summaries(ids, new Date("2026-11-30T06:00:00Z"), "UTC");
    expect(fake.batchRequests()).toHaveLength(0);
    expect(dataRequests()).toHaveLength(40);
    expect(next).toHaveLength(20);

    fake.requests.length = 0;
    const single = await serviceFor(ids, { batch: false }).summaries(ids, SLOT, "UTC");
    expect(refused.map(figuresOf)).toEqual(single.map(figuresOf));
    expect(refused.every((s) => s.refused === undefined && s.batchedIn === undefined)).toBe(true);
  });

  it("an account the batch answer leaves out: its summary says so, the others answer", async () => {
    const ids = fleet(5);
    const gone = ids[3]!;
    fake.handler = batchRoute(perResource(new Set([gone])), { subscriptionAccess: true });
    const summaries = await serviceFor(ids).summaries(ids, SLOT, "UTC");
    expect(fake.batchRequests()).toHaveLength(2);
    const left = summaries[3]!;
    expect(left.resource.id).toBe(gone);
    expect(left.refused).toContain(gone);
    expect(left.refused).toContain("metrics:getBatch");
    expect(left.totals.requests).toEqual({ value: null, previous: null });
    expect(summaryReport(left).lines).toEqual([`**Could not be read:** ${left.refused!}`]);
    expect(summaries.filter((s) => s.refused === undefined).map((s) => s.totals.requests.value)).toEqual([101, 202, 303, 505]);
  });

  it("an account whose region is not configured is read on its own once, then batched with the region its answer named", async () => {
    const ids = fleet(4);
    fake.handler = batchRoute(perResource(), { subscriptionAccess: true });
    const service = serviceFor(ids, { regions: ids.slice(0, 3) });
    await service.summaries(ids, SLOT, "UTC");
    expect(fake.batchRequests().map((b) => (JSON.parse(b.body ?? "{}") as { resourceids: string[] }).resourceids)).toEqual([ids.slice(0, 3), ids.slice(0, 3)]);
    expect(dataRequests().map((r) => r.path.replace(/\/providers\/Microsoft\.Insights\/metrics$/, ""))).toEqual([ids[3], ids[3]]);

    fake.requests.length = 0;
    await service.summaries(ids, new Date("2026-11-30T06:00:00Z"), "UTC");
    expect(dataRequests()).toHaveLength(0);
    expect(fake.batchRequests().map((b) => (JSON.parse(b.body ?? "{}") as { resourceids: string[] }).resourceids)).toEqual([ids, ids]);
  });

  it("throttled batch calls are retried as Metrics - List calls are; Azure failing is the summaries' error, not a reason to send 40 more", async () => {
    const ids = fleet(20);
    const answer = batchRoute(perResource(), { subscriptionAccess: true });
    let throttled = 0;
    fake.handler = (req, n) => (/metrics:getBatch$/.test(req.path) && throttled++ === 0 ? { status: 429, headers: { "retry-after": "1" }, body: { error: { code: "TooManyRequests", message: "throttled" } } } : answer(req, n));
    const summaries = await serviceFor(ids).summaries(ids, SLOT, "UTC");
    expect(fake.batchRequests()).toHaveLength(3);
    expect(dataRequests()).toHaveLength(0);
    expect(summaries[0]!.totals.requests).toEqual({ value: 101, previous: 92 });

    fake.requests.length = 0;
    fake.handler = (req, n) => (/metrics:getBatch$/.test(req.path) ? { status: 500, body: { error: { code: "InternalServerError", message: "the batch backend failed" } } } : answer(req, n));
    const failed: unknown = await serviceFor(ids).summaries(ids, SLOT, "UTC").then(() => undefined, (e: unknown) => e);
    expect(failed).toBeInstanceOf(AzureRequestError);
    expect((failed as Error).message).toContain("HTTP 500");
    expect(dataRequests()).toHaveLength(0);
  });

  it("a region's endpoint without an address (a firewall allowing only Resource Manager): per-resource calls, and not tried again", async () => {
    const ids = fleet(20);
    fake.handler = batchRoute(perResource(), { subscriptionAccess: true });
    const toFake = fake.httpClient();
    const noRegionalDns: HttpClient = {
      sendRequest: (request) => (new URL(request.url).hostname.endsWith(".metrics.monitor.azure.com") ? Promise.reject(new RestError(`getaddrinfo ENOTFOUND ${new URL(request.url).hostname}`, { code: "ENOTFOUND", request })) : toFake.sendRequest(request)),
    };
    const metrics = new AzureMetrics({ credential, endpoint: "https://management.azure.com", httpClient: fake.httpClient() });
    const readers = { metrics, batch: new BatchMetrics({ metrics, credential, httpClient: noRegionalDns, regions: Object.fromEntries(ids.map((id) => [id.toLowerCase(), REGION])) }) };
    const first = await readSummaries(readers, ids, SLOT, "UTC");
    expect(dataRequests()).toHaveLength(40);
    expect(first[4]!.totals.requests).toEqual({ value: 505, previous: 460 });
    fake.requests.length = 0;
    await readSummaries(readers, ids, new Date("2026-11-30T06:00:00Z"), "UTC");
    expect(dataRequests()).toHaveLength(40);
  });

  it("one account alone is one Metrics - List per request: the batch is for several", async () => {
    const ids = fleet(1);
    fake.handler = batchRoute(perResource(), { subscriptionAccess: true });
    const summary = await serviceFor(ids).summary(ids[0]!, SLOT, "UTC");
    expect(fake.batchRequests()).toHaveLength(0);
    expect(dataRequests()).toHaveLength(2);
    expect(summary.totals.requests).toEqual({ value: 101, previous: 92 });
  });
});
