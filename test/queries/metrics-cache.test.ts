// Identical Metrics - List requests inside the data's freshness share one Azure request: a crowd
// asking the same question costs what one question costs, counted at the loopback Azure Monitor
// with an injected clock (no timing), and nothing one asker may not see reaches another.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Bot } from "../../src/bot/bot.ts";
import { isTableQuestion } from "../../src/bot/table-parse.ts";
import { AzureMetrics, type AzureMetricsOptions } from "../../src/queries/azure-metrics.ts";
import { AzureRequestError } from "../../src/queries/errors.ts";
import { METRICS_CACHE } from "../../src/queries/metrics-cache.ts";
import type { MetricsRequest } from "../../src/queries/plan.ts";
import type { Question } from "../../src/queries/question.ts";
import { restrictResources } from "../../src/queries/scope.ts";
import { plannedSends } from "../../src/queries/request-merge.ts";
import { QueryService } from "../../src/queries/service.ts";
import { FakeAzureMonitor, fakeCredential, type FakeReply, type RecordedRequest } from "../fakes/azure-monitor.ts";
import { sentKey } from "./sent-requests.ts";

const AOAI = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod";
const NOON = Date.parse("2026-11-29T12:00:10Z");

const series = (dims: Record<string, string>, total: number, time: string) => ({
  metadatavalues: Object.entries(dims).map(([k, v]) => ({ name: { value: k.toLowerCase(), localizedValue: k }, value: v })),
  data: [{ timeStamp: time, total }],
});
const metricBody = (name: string, timeseries: unknown[]) => ({ id: `${AOAI}/providers/Microsoft.Insights/metrics/${name}`, type: "Microsoft.Insights/metrics", name: { value: name, localizedValue: name }, unit: "Count", errorCode: "Success", timeseries });
const deployments = { timespan: "x", value: [metricBody("AzureOpenAIRequests", [series({ ModelDeploymentName: "gpt-4o" }, 0, "2026-11-29T00:00:00Z"), series({ ModelDeploymentName: "gpt-4o-mini" }, 0, "2026-11-29T00:00:00Z")])] };
/**
 * Every data request: one point per metric at the start of each hour of the span (a window and its
 * baseline merged into one request get one each); only gpt-4o-mini's calls (7) when the filter names it, else all (100).
 */
const data = (req: RecordedRequest): FakeReply => {
  const total = (req.query.$filter ?? "").includes("'gpt-4o-mini'") ? 7 : 100;
  const [start = "", end = ""] = (req.query.timespan ?? "").split("/");
  const hours = Math.max(1, Math.ceil((Date.parse(end) - Date.parse(start)) / 3_600_000));
  const points = Array.from({ length: hours }, (_, h) => series({}, total, new Date(Date.parse(start) + h * 3_600_000).toISOString()));
  return { status: 200, body: { timespan: req.query.timespan, interval: req.query.interval, value: (req.query.metricnames ?? "").split(",").map((m) => metricBody(m, points)) } };
};

/** A reply held until `open()`: requests pile up in flight meanwhile. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

/** Lets the event loop run until `done` holds (the questions reached the cache), without a clock. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !done(); i++) await new Promise((r) => setImmediate(r));
  if (!done()) throw new Error("never happened");
}

let fake: FakeAzureMonitor;
let clock: number;
const seen = { hit: 0, miss: 0 };
const metrics = (over: Partial<AzureMetricsOptions> = {}) =>
  new AzureMetrics({
    credential: fakeCredential,
    endpoint: "https://management.azure.com",
    httpClient: fake.httpClient(),
    now: () => new Date(clock),
    retry: { maxAttempts: 1 },
    cache: {
      onHit: (name) => {
        if (name === "metrics") seen.hit++;
      },
      onMiss: (name) => {
        if (name === "metrics") seen.miss++;
      },
    },
    ...over,
  });
const sent = () => fake.metricsRequests();
const request = (timespan: string, over: Partial<MetricsRequest> = {}): MetricsRequest => ({ api: "metrics", resourceId: AOAI, metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "PT1M", timespan, window: "current", ...over });
/** A window that ended a minute before NOON: still live (data arrives minutes late). */
const LIVE = request("2026-11-29T11:00:00Z/2026-11-29T11:59:00Z");
/** Yesterday's last hour: settled. */
const STABLE = request("2026-11-28T23:00:00Z/2026-11-29T00:00:00Z");

beforeEach(async () => {
  fake = await new FakeAzureMonitor().start();
  fake.handler = (req) => (req.query.resultType === "Metadata" ? { status: 200, body: deployments } : data(req));
  clock = NOON;
  seen.hit = 0;
  seen.miss = 0;
});
afterEach(async () => {
  await fake.close();
});

describe("one Azure request for a crowd", () => {
  it("sends 100 identical requests arriving while the first is in flight as exactly 1, and gives each the same answer", async () => {
    const held = gate();
    fake.handler = async (req) => {
      await held.opened;
      return data(req);
    };
    const client = metrics();
    const answers = Array.from({ length: 100 }, () => client.query(LIVE));
    await until(() => sent().length === 1);
    expect(seen).toEqual({ hit: 99, miss: 1 });
    held.open();
    const got = await Promise.all(answers);
    expect(sent()).toHaveLength(1);
    expect(new Set(got).size).toBe(1);
    expect(got[0]?.value[0]?.timeseries[0]?.data?.[0]?.total).toBe(100);
  });

  it("answers 100 people asking the same question at once with the requests of one question", async () => {
    const held = gate();
    fake.handler = async (req) => {
      if (req.query.resultType === "Metadata") return { status: 200, body: deployments };
      // data requests wait; the metric definitions a question reads first do not
      if (req.path.endsWith("/metrics")) await held.opened;
      return data(req);
    };
    const service = new QueryService({ metrics: metrics(), resourceIds: [AOAI], zone: "UTC", now: () => new Date(clock) });
    const bot = new Bot(service);
    const understood = await bot.understand("requests last hour");
    if ("reply" in understood || isTableQuestion(understood.question)) throw new Error("not understood as a metrics question");
    // as sent: a window and its baseline merged into one request (request-merge.ts)
    const perQuestion = plannedSends(await service.plan(understood.question, undefined, undefined, understood.resources)).filter((s) => s.parts.every((p) => p.conditional === undefined)).length;
    const replies = Array.from({ length: 100 }, () => bot.ask("requests last hour"));
    await until(() => seen.hit + seen.miss >= 100 * perQuestion);
    held.open();
    const got = await Promise.all(replies);
    expect(got.every((r) => r.kind === "answer")).toBe(true);
    expect(sent()).toHaveLength(perQuestion);
    expect(new Set(sent().map(sentKey)).size).toBe(perQuestion);
    expect(new Set(got.map((r) => (r.kind === "answer" ? r.answer.results[0]?.value : undefined)))).toEqual(new Set([100]));
  });

  it("shares a live window asked 30 s later: both questions get the window ending at the last whole minute", async () => {
    const bot = new Bot(new QueryService({ metrics: metrics(), resourceIds: [AOAI], zone: "UTC", now: () => new Date(clock) }));
    const first = await bot.ask("requests last hour");
    const count = sent().length;
    clock = NOON + 30_000;
    const second = await bot.ask("requests last hour");
    expect(sent()).toHaveLength(count);
    for (const r of [first, second]) expect(r.kind === "answer" ? r.answer.window : undefined).toMatchObject({ start: "2026-11-29T11:00:00Z", end: "2026-11-29T12:00:00Z", label: "last 1 h" });
    // the next minute is a new window: asked again
    clock = NOON + 60_000;
    const third = await bot.ask("requests last hour");
    expect(third.kind === "answer" ? third.answer.window.end : undefined).toBe("2026-11-29T12:01:00Z");
    expect(sent().length).toBeGreaterThan(count);
  });

  it("still answers in the first seconds of a window that starts on the minute (today at 00:00:20)", async () => {
    clock = Date.parse("2026-11-29T00:00:20Z");
    const reply = await new Bot(new QueryService({ metrics: metrics(), resourceIds: [AOAI], zone: "UTC", now: () => new Date(clock) })).ask("requests today");
    expect(reply.kind === "answer" ? reply.answer.window : reply).toMatchObject({ start: "2026-11-29T00:00:00Z", end: "2026-11-29T00:00:20Z" });
  });
});

describe("how long a response is kept", () => {
  it(`keeps a live window's response ${METRICS_CACHE.liveTtlMs / 1000} s: its newest minutes are still arriving`, async () => {
    const client = metrics();
    await client.query(LIVE);
    clock = NOON + METRICS_CACHE.liveTtlMs - 1;
    await client.query(LIVE);
    expect(sent()).toHaveLength(1);
    clock = NOON + METRICS_CACHE.liveTtlMs;
    await client.query(LIVE);
    expect(sent()).toHaveLength(2);
  });

  it(`keeps a settled window's response longer, ${METRICS_CACHE.stableTtlMs / 60_000} min`, async () => {
    const client = metrics();
    await client.query(STABLE);
    clock = NOON + 5 * 60_000;
    await client.query(STABLE);
    clock = NOON + METRICS_CACHE.stableTtlMs - 1;
    await client.query(STABLE);
    expect(sent()).toHaveLength(1);
    clock = NOON + METRICS_CACHE.stableTtlMs;
    await client.query(STABLE);
    expect(sent()).toHaveLength(2);
    expect(seen).toEqual({ hit: 2, miss: 2 });
  });

  it("does not keep an error: the next identical request asks Azure again and gets the answer", async () => {
    fake.handler = (req, n) => (n === 1 ? { status: 500, body: { error: { code: "InternalServerError", message: "boom" } } } : data(req));
    const client = metrics();
    await expect(client.query(STABLE)).rejects.toBeInstanceOf(AzureRequestError);
    const res = await client.query(STABLE);
    expect(res.value[0]?.timeseries[0]?.data?.[0]?.total).toBe(100);
    expect(sent()).toHaveLength(2);
  });

  it("shares an error with the requests that waited for it, then asks again", async () => {
    const held = gate();
    fake.handler = async (req, n) => {
      if (n > 1) return data(req);
      await held.opened;
      return { status: 500, body: { error: { code: "InternalServerError", message: "boom" } } };
    };
    const client = metrics();
    const waiting = Array.from({ length: 5 }, () => client.query(STABLE).catch((e: unknown) => e));
    await until(() => sent().length === 1 && seen.hit === 4);
    held.open();
    const errors = await Promise.all(waiting);
    expect(errors.every((e) => e instanceof AzureRequestError)).toBe(true);
    expect(sent()).toHaveLength(1);
    await client.query(STABLE);
    expect(sent()).toHaveLength(2);
  });

  it("keeps at most maxEntries responses, dropping the least recently used", async () => {
    const client = metrics({ cache: { maxEntries: 2 } });
    const [a, b, c] = ["AzureOpenAIRequests", "ProcessedPromptTokens", "GeneratedTokens"].map((metricnames) => ({ ...STABLE, metricnames }));
    await client.query(a!);
    await client.query(b!);
    await client.query(a!); // a is now the most recently used
    await client.query(c!); // b goes
    expect(sent()).toHaveLength(3);
    await client.query(a!);
    await client.query(c!);
    expect(sent()).toHaveLength(3);
    await client.query(b!);
    expect(sent().map((r) => r.query.metricnames)).toEqual(["AzureOpenAIRequests", "ProcessedPromptTokens", "GeneratedTokens", "ProcessedPromptTokens"]);
  });

  it("does not keep a response larger than the points budget, though requests in flight still share it", async () => {
    const client = metrics({ cache: { maxPoints: 1 } });
    await Promise.all([client.query(STABLE), client.query(STABLE)]);
    expect(sent()).toHaveLength(1);
    await client.query(STABLE);
    expect(sent()).toHaveLength(2);
  });

  it("asks again for any parameter that differs, the resource id's case aside", async () => {
    const client = metrics();
    await client.query(STABLE);
    await client.query({ ...STABLE, resourceId: AOAI.toUpperCase(), window: "previous" });
    expect(sent()).toHaveLength(1);
    const variants: Partial<MetricsRequest>[] = [{ aggregation: "Count" }, { interval: "FULL" }, { timespan: "2026-11-28T22:00:00Z/2026-11-29T00:00:00Z" }, { filter: "ModelDeploymentName eq '*'" }, { filter: "ModelDeploymentName eq '*'", top: 5 }, { filter: "ModelDeploymentName eq '*'", top: 5, orderby: "Total asc" }];
    for (const v of variants) await client.query({ ...STABLE, ...v });
    expect(sent()).toHaveLength(1 + variants.length);
  });
});

describe("access scope", () => {
  it("never serves an unrestricted asker's cached answer to a restricted one: their requests carry their own filter", async () => {
    clock = Date.parse("2026-11-29T11:00:00Z");
    const service = new QueryService({ metrics: metrics(), resourceIds: [AOAI], zone: "UTC", now: () => new Date(clock) });
    const q: Question = { topic: "t", asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "Requests" }], window: { kind: "absolute", start: "2026-11-29T09:00:00Z", end: "2026-11-29T10:00:00Z" }, filters: {}, notes: [] };
    const everything = await service.resources();
    const all = await service.answer(q, undefined, undefined, everything);
    const count = sent().length;
    const mini = await service.answer(q, undefined, undefined, restrictResources(everything, { deployments: ["gpt-4o-mini"] }));
    expect(all.results[0]?.value).toBe(100);
    expect(mini.results[0]?.value).toBe(7);
    expect(sent().slice(count).every((r) => (r.query.$filter ?? "").includes("'gpt-4o-mini'"))).toBe(true);
    // and the unrestricted answer is still the cached one
    const again = await service.answer(q, undefined, undefined, everything);
    expect(again.results[0]?.value).toBe(100);
    expect(sent().length).toBe(2 * count);
  });
});
