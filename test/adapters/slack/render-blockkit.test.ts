import { describe, expect, it } from "vitest";
import { renderBlockKit, SLACK_LIMITS } from "../../../src/adapters/slack/render-blockkit.ts";
import { composeReply } from "../../../src/bot/compose.ts";
import type { Reply } from "../../../src/bot/reply.ts";
import { demoBot, GOLDEN_QUESTIONS } from "../../scenarios/golden-questions.ts";
import { REPORT_KINDS, reportExamples } from "../../schedules/report-examples.ts";
import type { MetricResult, QueryAnswer } from "../../../src/queries/result.ts";

const bot = demoBot();

describe("Block Kit answers", () => {
  it.each(GOLDEN_QUESTIONS)("%s matches its golden file", async (name, question) => {
    const message = renderBlockKit(composeReply(await bot.ask(question), question));
    await expect(JSON.stringify(message, null, 2)).toMatchFileSnapshot(`__golden__/${name}.json`);
  });

  it("never renders no data as a number", async () => {
    const message = renderBlockKit(composeReply(await bot.ask("content filter blocks for text-embedding-3-large"), "content filter blocks for text-embedding-3-large"));
    const headline = JSON.stringify(message.blocks.find((b) => JSON.stringify(b).includes("*Content-filter blocks*:")));
    expect(headline).toContain("*no data*");
    expect(headline).not.toMatch(/\*0\*/);
  });

  it("escapes what people typed so it cannot mention @channel or fake a link", () => {
    const reply: Reply = { kind: "error", code: "not_understood", message: 'I couldn\'t tell which metric "<!channel> <https://evil|click>" is about.', examples: [] };
    const json = JSON.stringify(renderBlockKit(composeReply(reply, "<!channel>")));
    expect(json).not.toContain("<!channel>");
    expect(json).toContain("&lt;!channel&gt;");
  });
});

describe("Block Kit reports", () => {
  it.each(REPORT_KINDS)("%s matches its golden file", async (name) => {
    const message = renderBlockKit((await reportExamples())[name]);
    await expect(JSON.stringify(message, null, 2)).toMatchFileSnapshot(`__golden__/${name}.json`);
  });

  it("shows report times in the reader's zone with Slack date tokens", async () => {
    const json = JSON.stringify(renderBlockKit((await reportExamples())["report-missed"]));
    expect(json).toContain("<!date^1795766400^{date_short_pretty} {time}|2026-11-27T08:00:00.000Z>");
  });
});

describe("Slack's limits", () => {
  const base = (i: number, series: number): MetricResult => ({
    label: `Figure ${i}`, metric: "AzureOpenAIRequests", displayName: "x", aggregation: "Total", unit: "Count", resource: { id: "r", name: "r" }, value: i, previous: i, points: [], hiddenSeries: 0, splitBy: "ModelDeploymentName",
    series: Array.from({ length: series }, (_, j) => ({ dimensions: { ModelDeploymentName: `deployment-${j}-${"x".repeat(40)}` }, value: j, previous: null, points: [] })),
    provenance: { resourceId: "r", metric: "AzureOpenAIRequests", aggregation: "Total", interval: "PT1M", timespan: "a/b", previousTimespan: "c/d", filter: "x".repeat(5000), zone: "UTC", localWindow: "w", method: "m" },
  });
  const answer = (results: MetricResult[]): Reply => ({
    kind: "answer",
    question: { topic: "t", asks: [], window: { kind: "relative", minutes: 60 }, filters: {}, notes: [] },
    answer: { topic: "t".repeat(300), zone: "UTC", window: { start: "2026-11-29T09:00:00Z", end: "2026-11-29T10:00:00Z", label: "last 1 h" }, previousWindow: { start: "2026-11-29T08:00:00Z", end: "2026-11-29T09:00:00Z" }, results, notes: ["n".repeat(4000)], requests: [] } satisfies QueryAnswer,
  });

  it("keeps a huge answer within 50 blocks, 3000-character sections and 10 fields, saying what it left out", () => {
    const { blocks } = renderBlockKit(composeReply(answer(Array.from({ length: 40 }, (_, i) => base(i, 30))), "q".repeat(3000)));
    expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    for (const b of blocks) {
      if (b.type === "section") {
        expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
        expect(b.fields?.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.fields);
      }
      if (b.type === "context") for (const e of b.elements) expect("text" in e ? e.text.length : 0).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      if (b.type === "header") expect(b.text.text.length).toBeLessThanOrEqual(150);
      if (b.type === "actions") for (const e of b.elements) expect("value" in e ? (e.value ?? "").length : 0).toBeLessThanOrEqual(2000);
    }
    const json = JSON.stringify(blocks);
    expect(json).toContain("and 20 more");
    expect(json).toMatch(/… and \d+ more figures/);
  });
});
