import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource } from "../../src/app/query-source.ts";
import { Bot } from "../../src/bot/bot.ts";
import { composeReply } from "../../src/bot/compose.ts";
import { renderText } from "../../src/bot/render-text.ts";
import { FakeAzureMonitor, fakeCredential } from "../fakes/azure-monitor.ts";
import { silentLogger } from "../../src/log/logger.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
const AOAI = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod";
const demoBot = () => new Bot(createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: NOW }).service);

describe("the bot never throws", () => {
  it("answers, helps or explains any text, and renders it", async () => {
    const bot = demoBot();
    const words = fc.constantFrom("latency", "429s", "blocked", "by deployment", "gpt-4o", "gpt-4o-mini", "top 2", "24h", "yesterday", "since 09:00", "metric=TotalCalls", "deployment=", "status=500", "model=gpt-4o", "region=x'", "p95", "help", "🚀", "\u0000", "%24filter");
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.array(words, { maxLength: 6 }).map((w) => w.join(" "))), async (text) => {
        const reply = await bot.ask(text, { platform: "console" });
        expect(["answer", "help", "error"]).toContain(reply.kind);
        if (reply.kind === "error") expect(reply.code).not.toBe("internal");
        expect(renderText(composeReply(reply, text)).length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe("the bot with logs, the activity log and quota never throws either", () => {
  it("answers, helps or explains any mix of table and metric words, and renders it", async () => {
    const source = createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: NOW });
    const bot = new Bot(source.service, undefined, { tables: source.tables });
    const words = fc.constantFrom("logs", "last 10", "failed requests", "top 3", "callers", "who changed", "what changed", "quota", "limit", "rate limit", "headroom", "p95", "latency", "429s", "in the logs", "gpt-4o", "mini", "today", "for 2 hours", "are logs arriving", "sample", "metrics", "status=500", "500 errors", "deployment=", "'", "\n", "last 500");
    await fc.assert(
      fc.asyncProperty(fc.array(words, { maxLength: 6 }).map((w) => w.join(" ")), async (text) => {
        const reply = await bot.ask(text, { platform: "console" }, NOW);
        expect(["answer", "table", "help", "error"]).toContain(reply.kind);
        if (reply.kind === "error") expect(reply.code, text).not.toBe("internal");
        expect(renderText(composeReply(reply, text)).length).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });
});

describe("when Azure itself misbehaves", () => {
  let fake: FakeAzureMonitor;
  let bot: Bot;
  beforeAll(async () => {
    fake = await new FakeAzureMonitor().start();
    const { AzureMetrics } = await import("../../src/queries/azure-metrics.ts");
    const { QueryService } = await import("../../src/queries/service.ts");
    const metrics = new AzureMetrics({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: fake.httpClient(), retry: { maxAttempts: 1, budgetMs: 0, baseDelayMs: 0 } });
    bot = new Bot(new QueryService({ metrics, resourceIds: [AOAI], zone: "UTC", now: () => NOW }), silentLogger);
  });
  afterAll(async () => {
    await fake.close();
  });

  it("still answers help while Azure refuses, and says why a log question can't be answered either", async () => {
    fake.handler = () => ({ status: 403, body: { error: { code: "AuthorizationFailed", message: "no" } } });
    expect((await bot.ask("help")).kind).toBe("help");
    expect(await bot.ask("p95 latency")).toMatchObject({ kind: "error", code: "azure_access_denied" });
  });

  it("tells the person which role is missing when Azure says 403", async () => {
    fake.handler = () => ({ status: 403, body: { error: { code: "AuthorizationFailed", message: "no" } } });
    const reply = await bot.ask("latency");
    expect(reply).toMatchObject({ kind: "error", code: "azure_access_denied" });
    expect(renderText(composeReply(reply, "latency"))).toContain("Monitoring Reader");
  });

  it("says Azure is throttling and when to come back", async () => {
    fake.handler = () => ({ status: 429, headers: { "retry-after": "30" }, body: { error: { code: "TooManyRequests", message: "no" } } });
    expect(renderText(composeReply(await bot.ask("latency"), "latency"))).toContain("Azure Monitor is throttling, try again in 30 s.");
  });

  it("says so plainly when Azure's response is not JSON", async () => {
    fake.handler = (req) => ({ status: 200, body: req.query.resultType === "Metadata" ? { timespan: "x", value: [] } : "{ not json" });
    const reply = await bot.ask("latency");
    expect(reply).toMatchObject({ kind: "error", code: "azure_unreadable_response" });
    expect(renderText(composeReply(reply, "latency"))).toMatch(/^⚠️ Azure Monitor sent a response the bot could not read \(request id req-\d+\)\./);
  });

  it("apologises with a reference, not a stack trace, for a bug of its own", () => {
    const reply = bot.failure(new TypeError("Cannot read properties of undefined (reading 'cost')"), "latency");
    const text = renderText(composeReply(reply, "latency"));
    expect(text).not.toMatch(/\.ts:\d+|\n\s+at |Cannot read/);
    expect(reply).toMatchObject({ kind: "error", code: "internal" });
    expect(text).toMatch(/Reference: `[0-9a-f]{8}`/);
  });
});
