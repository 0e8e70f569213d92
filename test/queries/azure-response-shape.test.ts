import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Bot } from "../../src/bot/bot.ts";
import { composeReply } from "../../src/bot/compose.ts";
import { renderText } from "../../src/bot/render-text.ts";
import { AzureMetrics } from "../../src/queries/azure-metrics.ts";
import { AzureUnreadableResponseError } from "../../src/queries/errors.ts";
import type { MetricsRequest } from "../../src/queries/plan.ts";
import { QueryService } from "../../src/queries/service.ts";
import { FakeAzureMonitor, fakeCredential } from "../fakes/azure-monitor.ts";
import { silentLogger } from "../../src/log/logger.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
const AOAI = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod";
const TIMESPAN = "2026-11-29T09:00:00Z/2026-11-29T10:00:00Z";
const request: MetricsRequest = { api: "metrics", resourceId: AOAI, metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "PT1M", timespan: TIMESPAN, window: "current" };
const metric = (extra: Record<string, unknown>) => ({ timespan: TIMESPAN, interval: "PT1M", value: [{ id: "m", type: "Microsoft.Insights/metrics", name: { value: "AzureOpenAIRequests" }, unit: "Count", ...extra }] });

// 200s that Azure Monitor should never send, each of which once reached a person as a TypeError
const ILL_SHAPED: readonly (readonly [string, unknown])[] = [
  ["an empty object", {}],
  ["an array", []],
  ["value null", { value: null }],
  ["value an object", { timespan: TIMESPAN, value: { name: "x" } }],
  ["a metric that is null", { timespan: TIMESPAN, value: [null] }],
  ["a metric without a name", { timespan: TIMESPAN, value: [{ unit: "Count", timeseries: [] }] }],
  ["a name that is a number", metric({ name: { value: 5 }, timeseries: [] })],
  ["timeseries null", metric({ timeseries: null })],
  ["timeseries a string", metric({ timeseries: "none" })],
  ["data an object", metric({ timeseries: [{ data: { total: 1 } }] })],
  ["a point without a time", metric({ timeseries: [{ data: [{ total: 1 }] }] })],
  ["a time that is not a time", metric({ timeseries: [{ data: [{ timeStamp: "not a time", total: 1 }] }] })],
  ["a total that is text", metric({ timeseries: [{ data: [{ timeStamp: "2026-11-29T09:00:00Z", total: "many" }] }] })],
  ["metadata values not a list", metric({ timeseries: [{ metadatavalues: "gpt-4o", data: [] }] })],
  ["a string", "ok"],
  ["a number", 42],
  ["null", null],
];

let fake: FakeAzureMonitor;
let metrics: AzureMetrics;
beforeAll(async () => {
  fake = await new FakeAzureMonitor().start();
  metrics = new AzureMetrics({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: fake.httpClient(), retry: { maxAttempts: 1, budgetMs: 0, baseDelayMs: 0 } });
});
afterAll(async () => {
  await fake.close();
});

describe("an ill-shaped 200 from Azure Monitor", () => {
  it.each(ILL_SHAPED)("is refused by the query layer with Azure's request id: %s", async (_name, body) => {
    fake.handler = () => ({ status: 200, body: JSON.stringify(body) });
    const err = await metrics.query(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AzureUnreadableResponseError);
    expect((err as Error).message).toMatch(/^Azure Monitor sent a response the bot could not read \(request id req-\d+\)\.$/);
  });

  it.each(ILL_SHAPED)("reaches a person as a plain sentence, not a TypeError: %s", async (_name, body) => {
    const bot = new Bot(new QueryService({ metrics: new AzureMetrics({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: fake.httpClient(), retry: { maxAttempts: 1, budgetMs: 0, baseDelayMs: 0 } }), resourceIds: [AOAI], zone: "UTC", now: () => NOW }), silentLogger);
    fake.handler = () => ({ status: 200, body: JSON.stringify(body) });
    const reply = await bot.ask("latency");
    expect(reply).toMatchObject({ kind: "error", code: "azure_unreadable_response" });
    expect(renderText(composeReply(reply, "latency"))).toMatch(/^⚠️ Azure Monitor sent a response the bot could not read \(request id req-\d+\)\./);
    expect(renderText(composeReply(reply, "latency"))).not.toContain("Cannot read properties");
  });
});

describe("a well-shaped 200 with little in it", () => {
  it.each([
    ["no metrics", { timespan: TIMESPAN, value: [] }],
    ["no series", metric({ timeseries: [] })],
    ["a series without data", metric({ timeseries: [{}] })],
    ["a series with empty metadata and no data", metric({ timeseries: [{ metadatavalues: [] }] })],
    ["points without values", metric({ timeseries: [{ data: [{ timeStamp: "2026-11-29T09:00:00Z" }] }] })],
  ])("is read as no data: %s", async (_name, body) => {
    fake.handler = () => ({ status: 200, body });
    await expect(metrics.query(request)).resolves.toMatchObject({ value: expect.any(Array) as unknown });
    const bot = new Bot(new QueryService({ metrics, resourceIds: [AOAI], zone: "UTC", now: () => NOW }), silentLogger);
    const reply = await bot.ask("how many requests");
    expect(reply.kind).toBe("answer");
  });
});
