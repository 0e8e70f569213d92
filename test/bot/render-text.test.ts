import { describe, expect, it } from "vitest";
import { composeReply } from "../../src/bot/compose.ts";
import { renderText } from "../../src/bot/render-text.ts";
import type { MetricResult, QueryAnswer } from "../../src/queries/result.ts";
import { demoBot, GOLDEN_QUESTIONS } from "../scenarios/golden-questions.ts";
import { REPORT_KINDS, reportExamples } from "../schedules/report-examples.ts";

const result = (over: Partial<MetricResult>): MetricResult => ({
  label: "Requests",
  metric: "AzureOpenAIRequests",
  displayName: "Azure OpenAI Requests",
  aggregation: "Total",
  unit: "Count",
  resource: { id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/prod", name: "prod" },
  value: 120,
  previous: 100,
  points: [{ time: "2026-11-29T09:00:00Z", value: 50 }, { time: "2026-11-29T09:01:00Z", value: 70 }],
  series: [],
  hiddenSeries: 0,
  provenance: { resourceId: "x", metric: "AzureOpenAIRequests", aggregation: "Total", interval: "PT1M", timespan: "2026-11-29T09:00:00Z/2026-11-29T10:00:00Z", previousTimespan: "2026-11-29T08:00:00Z/2026-11-29T09:00:00Z", zone: "UTC", localWindow: "2026-11-29 09:00–10:00 UTC", method: "sum of 2 PT1M points" },
  ...over,
});
const answer = (results: MetricResult[], notes: string[] = []): QueryAnswer => ({ topic: "Requests", zone: "UTC", window: { start: "2026-11-29T09:00:00Z", end: "2026-11-29T10:00:00Z", label: "last 1 h" }, previousWindow: { start: "2026-11-29T08:00:00Z", end: "2026-11-29T09:00:00Z" }, results, notes, requests: [] });
const render = (a: QueryAnswer) => renderText(composeReply({ kind: "answer", question: { topic: "Requests", asks: [], window: { kind: "relative", minutes: 60 }, filters: {}, notes: [] }, answer: a }, "requests"));

describe("text answers", () => {
  it("leads with the figure, its change and where it came from", () => {
    const text = render(answer([result({})]));
    expect(text).toContain("Requests — last 1 h (2026-11-29 09:00–10:00 UTC)");
    expect(text).toContain("Requests: 120  ▲ +20.0 % vs previous 1 h (100)");
    expect(text).toContain("source: prod · AzureOpenAIRequests · Total · grain PT1M · 2026-11-29T09:00:00Z/2026-11-29T10:00:00Z · sum of 2 PT1M points");
  });

  it("says no data instead of 0", () => {
    const text = render(answer([result({ value: null, previous: null, points: [] })]));
    expect(text).toContain("Requests: no data (Azure Monitor returned no data points for this window)");
    expect(text).not.toMatch(/Requests: 0\b/);
  });

  it("lists the breakdown with \"and N more\"", () => {
    const series = ["a", "b"].map((d, i) => ({ dimensions: { ModelDeploymentName: d }, value: 10 - i, previous: null, points: [] }));
    const text = render(answer([result({ splitBy: "ModelDeploymentName", series, hiddenSeries: 3 })]));
    expect(text).toMatch(/by deployment:\n {4}a\s+10\n {4}b\s+9\n {4}… and 3 more/);
  });

  it("shows Azure's per-metric error in place of a figure", () => {
    const text = render(answer([result({ value: null, error: { code: "InvalidSamplingType", message: "Sampling type is not found." } })]));
    expect(text).toContain("Requests: not available — Azure Monitor said InvalidSamplingType: Sampling type is not found.");
  });

  it("names the resource when several are configured", () => {
    const other = result({ resource: { id: "y", name: "dev" } });
    expect(render(answer([result({}), other]))).toContain("Requests [dev]: 120");
  });
});

describe("help and errors", () => {
  it("lists examples and the deployments", () => {
    const text = renderText(composeReply({ kind: "help", examples: ["latency"], deployments: ["gpt-4o"] }, "help"));
    expect(text).toContain("For example:\n    latency");
    expect(text).toContain("Deployments: `gpt-4o`");
  });

  it("gives what was wrong, what to try and examples", () => {
    const text = renderText(composeReply({ kind: "error", code: "not_understood", message: "I couldn't tell.", hint: "Name a signal.", examples: ["latency", "429s today"] }, "x"));
    expect(text).toBe("⚠️ I couldn't tell.\n  Name a signal.\n  Try one of these:\n    latency\n    429s today");
  });
});

describe("golden text", () => {
  const bot = demoBot();

  it.each(GOLDEN_QUESTIONS)("the %s answer matches its golden file", async (name, question) => {
    await expect(renderText(composeReply(await bot.ask(question), question))).toMatchFileSnapshot(`__golden__/${name}.txt`);
  });

  it.each(REPORT_KINDS)("%s matches its golden file", async (name) => {
    await expect(renderText((await reportExamples())[name])).toMatchFileSnapshot(`__golden__/${name}.txt`);
  });

  it("lays a report's table out in columns under its header", async () => {
    const text = renderText((await reportExamples())["report-summary"]);
    expect(text).toMatch(/\n {4}deployment +Requests/);
  });
});
