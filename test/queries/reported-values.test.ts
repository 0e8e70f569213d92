// Filter values are checked against the values Azure reports, at the cost of one Metadata lookup
// per resource and dimension, listed in the plan and cached like the deployments (the real SDK
// over the demo's simulator, every request recorded).
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource } from "../../src/app/query-source.ts";
import { Bot } from "../../src/bot/bot.ts";
import { isTableQuestion } from "../../src/bot/table-parse.ts";
import { simulatorHttpClient } from "../../src/demo/http-client.ts";
import { SimulatedAzureMonitor } from "../../src/demo/simulator.ts";
import { isLookup, recording } from "./sent-requests.ts";

const NOW = new Date("2026-12-01T14:30:00Z");

function demo() {
  const rec = recording(simulatorHttpClient(new SimulatedAzureMonitor({ now: () => NOW })));
  const source = createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: NOW, httpClient: rec.client });
  return { bot: new Bot(source.service), service: source.service, lookups: () => rec.sent.filter(isLookup).map((s) => [s.query.metricnames, s.query.$filter]) };
}

describe("filter values Azure reports", () => {
  it("reads one dimension's values once, lists the lookup in the plan, and reuses it for the next question", async () => {
    const { bot, service, lookups } = demo();
    const understood = await bot.understand("latency stream=streaming");
    if ("reply" in understood || isTableQuestion(understood.question)) throw new Error(JSON.stringify(understood));
    const plan = await service.plan(understood.question, NOW, undefined, understood.resources);
    expect(plan.lookups.map((l) => [l.reads, l.metricnames, l.filter])).toEqual([
      ["metric definitions", undefined, undefined],
      ["deployment names", "AzureOpenAIRequests,AzureOpenAIProvisionedManagedUtilizationV2", "ModelDeploymentName eq '*' and ModelName eq '*'"],
      ["dimension values", "AzureOpenAIRequests", "StreamType eq '*'"],
    ]);
    expect(plan.requests.find((r) => r.purpose === "figures")?.request.filter).toContain("StreamType eq 'Streaming'");
    await bot.ask("errors stream=non-streaming today", undefined, NOW);
    expect(lookups()).toEqual([
      [undefined, undefined],
      ["AzureOpenAIRequests,AzureOpenAIProvisionedManagedUtilizationV2", "ModelDeploymentName eq '*' and ModelName eq '*'"],
      ["AzureOpenAIRequests", "StreamType eq '*'"],
    ]);
  });

  it("costs nothing for a question without such a filter, and is not applied to status codes (an unseen code is a real zero)", async () => {
    const { bot, lookups } = demo();
    expect((await bot.ask("429s gpt-4o-mini last hour", undefined, NOW)).kind).toBe("answer");
    expect((await bot.ask("errors status=418 today", undefined, NOW)).kind).toBe("answer");
    // the metric definitions and the deployments, once
    expect(lookups()).toHaveLength(2);
  });

  it("refuses a value no resource reports, naming the ones they do", async () => {
    const { bot } = demo();
    const reply = await bot.ask("requests region=moon", undefined, NOW);
    expect(reply).toMatchObject({ kind: "error", code: "unknown_dimension_value", message: 'Region has no value "moon"; it reports: swedencentral.' });
  });
});
