// The query source reports its cache's hits (the bot process hands it BotMetrics.cacheHit, so
// aoai_cache_hits_total counts them): a second identical question is answered without Azure.
import { describe, expect, it } from "vitest";
import { Bot } from "../../src/bot/bot.ts";
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource } from "../../src/app/query-source.ts";

describe("the query source's cache", () => {
  it("answers the same question asked again from the cache, and says so to onCacheHit", async () => {
    const hits: string[] = [];
    const source = createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: new Date("2026-11-29T12:00:10Z"), onCacheHit: (cache) => hits.push(cache) });
    const bot = new Bot(source.service);
    const first = await bot.ask("latency last hour");
    const sent = source.metrics.requestCount;
    const second = await bot.ask("latency last hour");
    expect(second).toEqual(first);
    expect(source.metrics.requestCount).toBe(sent);
    expect(hits.filter((c) => c === "metrics").length).toBeGreaterThan(0);
    // fixed names, fit for a Prometheus label
    expect(hits.every((c) => ["metrics", "definitions", "deployments", "dimension-values"].includes(c))).toBe(true);
  });
});
