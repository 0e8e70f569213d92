import { describe, expect, it } from "vitest";
import { MAX_CARD_BYTES, renderAdaptiveCard } from "../../../src/adapters/teams/render-adaptive-card.ts";
import { composeReply } from "../../../src/bot/compose.ts";
import type { Reply } from "../../../src/bot/reply.ts";
import { demoBot, GOLDEN_QUESTIONS } from "../../scenarios/golden-questions.ts";
import { REPORT_KINDS, reportExamples } from "../../schedules/report-examples.ts";
import type { MetricResult } from "../../../src/queries/result.ts";

const bot = demoBot();

describe("Adaptive Card answers", () => {
  it.each(GOLDEN_QUESTIONS)("%s matches its golden file", async (name, question) => {
    const card = renderAdaptiveCard(composeReply(await bot.ask(question), question));
    await expect(JSON.stringify(card, null, 2)).toMatchFileSnapshot(`__golden__/${name}.json`);
  });

  it("is a 1.5 card whose buttons fall back to Action.Submit", async () => {
    const card = renderAdaptiveCard(composeReply(await bot.ask("latency"), "latency"));
    expect(card.version).toBe("1.5");
    for (const a of card.actions) expect(a).toMatchObject({ type: "Action.Execute", verb: "aoai.followUp", fallback: { type: "Action.Submit" } });
  });

  it("shows the window in the viewer's time with DATE/TIME functions", async () => {
    expect(JSON.stringify(renderAdaptiveCard(composeReply(await bot.ask("latency"), "latency")))).toContain("{{DATE(2026-11-29T09:00:00Z, SHORT)}} {{TIME(2026-11-29T09:00:00Z)}}");
  });
});

describe("Adaptive Card reports", () => {
  it.each(REPORT_KINDS)("%s matches its golden file", async (name) => {
    const card = renderAdaptiveCard((await reportExamples())[name]);
    await expect(JSON.stringify(card, null, 2)).toMatchFileSnapshot(`__golden__/${name}.json`);
  });

  it("colours a firing condition's title and has no buttons", async () => {
    const card = renderAdaptiveCard((await reportExamples())["report-condition-firing"]);
    expect(card.body[0]).toMatchObject({ text: expect.stringMatching(/^🔴 Condition holding: 429s > 10/) as unknown, color: "Attention" });
    expect(card.actions).toEqual([]);
  });
});

describe("the 28 KB card budget", () => {
  const result = (i: number): MetricResult => ({
    label: `Figure ${i}`, metric: "AzureOpenAIRequests", displayName: "x", aggregation: "Total", unit: "Count", resource: { id: "r", name: "r" }, value: i, previous: i, hiddenSeries: 0, splitBy: "ModelDeploymentName",
    points: Array.from({ length: 200 }, (_, j) => ({ time: `2026-11-29T09:${String(j % 60).padStart(2, "0")}:00Z`, value: j })),
    series: Array.from({ length: 40 }, (_, j) => ({ dimensions: { ModelDeploymentName: `deployment-${j}-${"x".repeat(60)}` }, value: j, previous: null, points: [] })),
    provenance: { resourceId: "r", metric: "AzureOpenAIRequests", aggregation: "Total", interval: "PT1M", timespan: "a/b", previousTimespan: "c/d", filter: "f".repeat(300), zone: "UTC", localWindow: "w", method: "m" },
  });
  const huge: Reply = {
    kind: "answer",
    question: { topic: "t", asks: [], window: { kind: "relative", minutes: 60 }, filters: {}, notes: [] },
    answer: { topic: "Everything", zone: "UTC", window: { start: "2026-11-29T09:00:00Z", end: "2026-11-29T10:00:00Z", label: "last 1 h" }, previousWindow: { start: "a", end: "b" }, results: Array.from({ length: 30 }, (_, i) => result(i)), notes: [], requests: [] },
  };

  it("cuts rows, sparklines and figures until the card fits, and says so", () => {
    const card = renderAdaptiveCard(composeReply(huge, "everything"));
    const json = JSON.stringify(card);
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(json).toMatch(/and \d+ more/);
  });
});
