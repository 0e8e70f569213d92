// Charts as Teams draws them: a native Chart.Line / Chart.HorizontalBar in the card, in the schema
// of "Charts in Adaptive Cards", after the figures; no data left out (never a 0); the PNG as the
// fallback for clients without chart support when it fits the card's 28 KB, else the sparkline;
// and the card budget drops the chart before any figure.
import { describe, expect, it } from "vitest";
import { CHART_LEVELS } from "../../../src/adapters/teams/chart-element.ts";
import { TeamsCards } from "../../../src/adapters/teams/card-activity.ts";
import { MAX_CARD_BYTES, renderAdaptiveCard } from "../../../src/adapters/teams/render-adaptive-card.ts";
import { pngSize, PNG_LIMITS } from "../../../src/adapters/chart-png.ts";
import { message, type Chart, type Figure, type Message, type Point } from "../../../src/bot/message.ts";
import { silentLogger } from "../../../src/log/logger.ts";

type Element = Record<string, unknown>;
const START = Date.parse("2026-11-29T09:00:00Z");
const points = (n: number, value: (i: number) => number | null, stepMin = 1): Point[] => Array.from({ length: n }, (_, i) => ({ time: new Date(START + i * stepMin * 60_000).toISOString(), value: value(i) }));

const line: Chart = {
  kind: "line",
  title: "Time to response (successful calls) by deployment",
  unit: "MilliSeconds",
  caption: "Sun 29 Nov 10:00–10:05 Europe/Berlin · AzureOpenAITimeToResponse · Average · PT1M",
  zone: "Europe/Berlin",
  series: [
    { label: "gpt-4o", points: points(5, (i) => (i === 2 ? null : 1000 + i)) },
    { label: "gpt-4o-mini", points: points(5, (i) => 500 + i * 0.123456) },
    { label: "other (3)", points: points(5, () => 0) },
  ],
  bars: [],
};
const bars: Chart = { kind: "bar", title: "Requests by deployment — Sat 28 Nov 2026", unit: "Count", caption: "Sat 28 Nov 00:00 – Sun 29 Nov 00:00 UTC · AzureOpenAIRequests Total · PT1H", zone: "UTC", series: [], bars: [{ label: "gpt-4o", value: 120 }, { label: "gpt-4o-ptu", value: null }, { label: "gpt-4o-mini", value: 0 }] };

const figure = (i: number, series?: readonly Point[]): Figure => ({ label: `Figure ${i}`, value: i, unit: "MilliSeconds", text: `${i} ms`, baseline: "vs previous 1 h", source: `source ${i} ${"s".repeat(200)}`, ...(series ? { series: { label: `Figure ${i}`, unit: "MilliSeconds", points: series } } : {}) });
const answer = (charts: Chart[], figures: Figure[] = [figure(1, line.series[0]?.points)]): Message => message("answer", "info", "Latency by deployment — last 1 h", { figures, charts });
const bodyOf = (m: Message, pictures?: ReadonlyMap<number, string>) => renderAdaptiveCard(m, pictures).body;
const chartsIn = (body: Element[]) => body.filter((e) => typeof e.type === "string" && e.type.startsWith("Chart."));

describe("a line chart in a card", () => {
  it("is a Chart.Line after the figures, one legend per series, null points left out, times in the chart's zone", () => {
    const body = bodyOf(answer([line]));
    const at = body.findIndex((e) => e.type === "Chart.Line");
    expect(at).toBeGreaterThan(body.findIndex((e) => typeof e.text === "string" && e.text.startsWith("source 1")));
    const chart = body[at]!;
    expect(chart).toMatchObject({ type: "Chart.Line", title: line.title, xAxisTitle: "Time (Europe/Berlin)", yAxisTitle: "ms", colorSet: "categorical" });
    const data = chart.data as { legend: string; color: string; values: { x: string; y: number }[] }[];
    expect(data.map((d) => d.legend)).toEqual(["gpt-4o", "gpt-4o-mini", "other (3)"]);
    // gpt-4o had no data at 10:02: that point is absent, not 0
    expect(data[0]?.values).toEqual([{ x: "10:00", y: 1000 }, { x: "10:01", y: 1001 }, { x: "10:03", y: 1003 }, { x: "10:04", y: 1004 }]);
    expect(data[1]?.values[1]).toEqual({ x: "10:01", y: 500.12 });
    // the summed rest is grey, deployments get the palette's first colours
    expect(data.map((d) => d.color)).toEqual(["categoricalBlue", "categoricalMarigold", "neutral"]);
    // the caption line follows: the window and the query
    expect(body[at + 1]).toMatchObject({ type: "TextBlock", text: line.caption, isSubtle: true });
  });

  it("falls back to the sparkline for clients that can't draw charts, when there is no picture", () => {
    const fallback = chartsIn(bodyOf(answer([line])))[0]?.fallback as Element;
    expect(fallback).toMatchObject({ type: "TextBlock", fontType: "Monospace" });
    expect(fallback.text).toContain("gpt-4o  ");
    expect(fallback.text).toMatch(/[▁▂▃▄▅▆▇█]/);
  });

  it("falls back to the picture when one is ready", () => {
    const uri = "data:image/png;base64,iVBORw0KGgo=";
    expect(chartsIn(bodyOf(answer([line]), new Map([[0, uri]])))[0]?.fallback).toEqual({ type: "Image", url: uri, altText: `${line.title}. ${line.caption}`, size: "Stretch" });
  });

  it("averages a long series into at most 60 columns and says so on the time axis", () => {
    const day: Chart = { ...line, series: [{ label: "gpt-4o", points: points(1440, (i) => i) }] };
    const chart = chartsIn(bodyOf(answer([day])))[0]!;
    expect((chart.data as { values: unknown[] }[])[0]?.values.length).toBeLessThanOrEqual(CHART_LEVELS[0]!.points);
    expect(chart.xAxisTitle).toBe("Time (Europe/Berlin), 30-min averages");
  });
});

describe("bars in a card", () => {
  it("is a Chart.HorizontalBar of {x, y}; a bar without data is left out, a real 0 stays", () => {
    const chart = chartsIn(bodyOf(message("report", "info", "Daily summary", { charts: [bars] })))[0]!;
    expect(chart).toMatchObject({ type: "Chart.HorizontalBar", title: bars.title, yAxisTitle: "count", color: "categoricalBlue" });
    expect(chart.data).toEqual([{ x: "gpt-4o", y: 120 }, { x: "gpt-4o-mini", y: 0 }]);
    expect((chart.fallback as Element).text).toContain("gpt-4o-ptu: no data");
  });
});

describe("the card budget with charts", () => {
  const heavy: Chart = { ...line, series: Array.from({ length: 8 }, (_, s) => ({ label: `deployment-${s}`, points: points(1440, (i) => 1000 + ((i * (s + 7)) % 997) + 0.37) })) };
  const picture = `data:image/png;base64,${"A".repeat(12_000)}`;

  it("keeps 8 series of a day of minutes and a picture inside 28 KB by thinning the points first", () => {
    const card = renderAdaptiveCard(answer([heavy]), new Map([[0, picture]]));
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(MAX_CARD_BYTES);
    const chart = chartsIn(card.body)[0]!;
    const data = chart.data as { values: unknown[] }[];
    expect(data).toHaveLength(8);
    for (const d of data) expect(d.values.length).toBeLessThanOrEqual(60);
  });

  it("drops the chart before it drops a figure", () => {
    const many = Array.from({ length: 20 }, (_, i) => figure(i, points(60, (j) => j)));
    const card = renderAdaptiveCard(answer([heavy, heavy, heavy, heavy], many), new Map([[0, picture], [1, picture]]));
    const json = JSON.stringify(card);
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    for (let i = 0; i < 20; i++) expect(json).toContain(`**Figure ${i}**`);
    expect(json).not.toMatch(/more figures/);
    expect(chartsIn(card.body).length).toBeLessThan(4);
  });

  it("renders a message without charts exactly as before", () => {
    const plain = message("answer", "info", "x", { figures: [figure(1)] });
    expect(chartsIn(renderAdaptiveCard(plain).body)).toEqual([]);
  });
});

describe("the picture inside the card", () => {
  it("is the chart's PNG, card-sized, as a data URI under 1 MB and 1024 px, and the card still fits", async () => {
    const card = await new TeamsCards({}, silentLogger).card(answer([line]));
    const fallback = chartsIn(card.body)[0]?.fallback as { type: string; url: string };
    expect(fallback.type).toBe("Image");
    expect(fallback.url).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(fallback.url.slice("data:image/png;base64,".length), "base64");
    const size = pngSize(png);
    expect(size).toBeDefined();
    expect(png.length).toBeLessThanOrEqual(PNG_LIMITS.bytes);
    expect(size!.width).toBeLessThanOrEqual(PNG_LIMITS.side);
    expect(size!.height).toBeLessThanOrEqual(PNG_LIMITS.side);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(MAX_CARD_BYTES);
  });

  it("is left out (the sparkline stands in) when drawing fails or takes longer than the budget, without waiting past it", async () => {
    const broken = await new TeamsCards({ render: () => Promise.reject(new Error("no usable font")) }, silentLogger).card(answer([line]));
    expect((chartsIn(broken.body)[0]?.fallback as Element).type).toBe("TextBlock");
    const started = Date.now();
    const slow = await new TeamsCards({ render: () => new Promise<Buffer>(() => undefined), budgetMs: 100 }, silentLogger).card(answer([line]));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((chartsIn(slow.body)[0]?.fallback as Element).type).toBe("TextBlock");
  });
});
