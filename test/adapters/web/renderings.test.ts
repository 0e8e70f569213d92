// A chart that cannot be drawn costs only its picture: the playground's answer still arrives with
// both platforms' renderings (the sparkline in the text, the chart element's text fallback in Teams).
import { describe, expect, it } from "vitest";
import { ChartPictures } from "../../../src/adapters/web/chart-pictures.ts";
import { Renderer } from "../../../src/adapters/web/renderings.ts";
import { message } from "../../../src/bot/message.ts";
import { silentLogger } from "../../../src/log/logger.ts";

const points = [0, 1, 2, 3].map((i) => ({ time: new Date(Date.UTC(2026, 10, 29, 9, i * 15)).toISOString(), value: 1000 + i * 10 }));
const answer = message("answer", "info", "Latency — last 1 h", {
  figures: [{ label: "Time to response", value: 1010, unit: "MilliSeconds", text: "1,010 ms", baseline: "", series: { label: "Time to response", unit: "MilliSeconds", points }, source: "aoai-demo · AzureOpenAITimeToResponse · Average" }],
  charts: [{ kind: "line", title: "Time to response", unit: "MilliSeconds", caption: "Sun 29 Nov 09:00–10:00 UTC · AzureOpenAITimeToResponse · Average · PT15M", zone: "UTC", series: [{ label: "Time to response", points }], bars: [] }],
});

describe("playground renderings when a chart can't be drawn", () => {
  it("answers without the picture: no chart URL, the Slack blocks and the Teams card as usual", async () => {
    const renderer = new Renderer(new ChartPictures({ render: () => Promise.reject(new Error("no usable font")) }, silentLogger), silentLogger);
    const r = await renderer.render(answer);
    expect(r.charts).toEqual([]);
    expect(r.slackHtml).toContain("Latency — last 1 h");
    expect(r.text).toContain("1,010 ms");
    const chart = r.teams.body.find((e) => e.type === "Chart.Line") as { fallback?: { type?: string } } | undefined;
    expect(chart?.fallback?.type).not.toBe("Image");
  });

  it("answers without the picture when drawing is slower than the budget", async () => {
    const renderer = new Renderer(new ChartPictures({ render: () => new Promise(() => undefined), budgetMs: 50 }, silentLogger), silentLogger);
    const r = await renderer.render(answer);
    expect(r.charts).toEqual([]);
    expect(r.slackHtml).toContain("Latency — last 1 h");
  });
});
