// Charts in Teams end to end: the real CloudAdapter answers the loopback Bot Connector with a card
// holding a native Chart.Line (a line per deployment, no data left out) and, for clients without
// chart support, the chart's PNG as a data URI, all inside the card's 28 KB; the daily summary's
// chart goes the same way through the report poster. A picture that is late never holds the answer
// back: the sparkline stands in. The golden card of a chart answer is kept here.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pngSize, PNG_LIMITS, type ChartPictureOptions } from "../../../src/adapters/chart-png.ts";
import { MAX_CARD_BYTES, renderAdaptiveCard } from "../../../src/adapters/teams/render-adaptive-card.ts";
import { startBotProcess, type BotProcess } from "../../../src/app/bot-process.ts";
import { loadConfig } from "../../../src/app/config.ts";
import { composeReply } from "../../../src/bot/compose.ts";
import type { Schedule } from "../../../src/schedules/schedule.ts";
import { cardOf, FakeBotConnector } from "../../fakes/bot-connector.ts";
import { demoBot } from "../../scenarios/golden-questions.ts";
import { botAdded, personalMessage } from "./activities.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
const QUESTION = "latency by deployment last 24h";
type Element = Record<string, unknown> & { type: string };

let connector: FakeBotConnector;
const procs: BotProcess[] = [];

async function start(charts?: ChartPictureOptions): Promise<string> {
  const env = { AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-teams-charts-")), "t.sqlite") };
  const p = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0, timezone: "Europe/Berlin" }, { env, host: "127.0.0.1", source: "demo", now: NOW, runSchedules: false, ...(charts ? { charts } : {}) });
  procs.push(p);
  return `http://127.0.0.1:${p.server.port}/api/messages`;
}
const post = (url: string, body: unknown) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const bodyOf = (card: Record<string, unknown> | undefined) => (card?.body ?? []) as Element[];
const charts = (card: Record<string, unknown> | undefined) => bodyOf(card).filter((e) => e.type.startsWith("Chart."));

async function ask(endpoint: string, text: string): Promise<Record<string, unknown> | undefined> {
  const activity = personalMessage(connector.url, text);
  expect((await post(endpoint, activity)).status).toBe(200);
  const reply = connector.calls.find((c) => c.activityId === activity.id && c.body.type === "message");
  return reply && cardOf(reply.body);
}

beforeAll(async () => {
  connector = await new FakeBotConnector().start();
});
afterAll(async () => {
  for (const p of procs) await p.stop();
  await connector.close();
});

describe("a chart answer in Teams", () => {
  it("has a Chart.Line with a line per deployment and no-data points left out, the PNG as its fallback, inside 28 KB", async () => {
    const card = await ask(await start(), QUESTION);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(MAX_CARD_BYTES);
    const [chart, ...more] = charts(card);
    expect(more).toEqual([]);
    expect(chart).toMatchObject({ type: "Chart.Line", xAxisTitle: expect.stringMatching(/^Time \(Europe\/Berlin\)/) as unknown, yAxisTitle: "ms" });
    const data = chart?.data as { legend: string; values: { x: string; y: unknown }[] }[];
    expect(data.map((d) => d.legend)).toEqual(expect.arrayContaining(["gpt-4o", "gpt-4o-mini"]));
    for (const d of data) {
      expect(d.values.length).toBeGreaterThan(1);
      expect(d.values.length).toBeLessThanOrEqual(60);
      for (const v of d.values) expect(typeof v.y).toBe("number");
    }
    const fallback = chart?.fallback as { type: string; url: string; altText: string };
    expect(fallback.type).toBe("Image");
    expect(fallback.url).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(fallback.url.split(",")[1] ?? "", "base64");
    expect(png.length).toBeLessThanOrEqual(PNG_LIMITS.bytes);
    expect(pngSize(png)?.width).toBeLessThanOrEqual(PNG_LIMITS.side);
    expect(pngSize(png)?.height).toBeLessThanOrEqual(PNG_LIMITS.side);
    expect(fallback.altText).toContain(String(chart?.title));
  });

  it("arrives on time with the sparkline as the fallback when the picture is late", async () => {
    const endpoint = await start({ render: () => new Promise<Buffer>(() => undefined), budgetMs: 200 });
    const started = Date.now();
    const card = await ask(endpoint, QUESTION);
    expect(Date.now() - started).toBeLessThan(4_000);
    const [chart] = charts(card);
    expect(chart?.type).toBe("Chart.Line");
    expect((chart?.fallback as Element).type).toBe("TextBlock");
  });

  it("matches its golden card (chart elements, their axes and legends; the sparkline fallback)", async () => {
    const card = renderAdaptiveCard(composeReply(await demoBot(NOW).ask(QUESTION), QUESTION));
    await expect(JSON.stringify(card, null, 2)).toMatchFileSnapshot("__golden__/chart-answer.json");
  });
});

describe("the daily summary's chart in Teams", () => {
  it("is posted by the report poster as bars with the PNG fallback", async () => {
    const endpoint = await start();
    const conversation = "19:charts-ops@thread.tacv2";
    expect((await post(endpoint, botAdded(connector.url, conversation))).status).toBe(200);
    const schedule: Schedule = { name: "charts-daily", cron: "0 9 * * *", timezone: "Europe/Berlin", report: { kind: "summary" }, post: [{ platform: "teams", conversation }], paused: false, origin: "config" };
    await procs.at(-1)!.runner.runSlot(schedule, new Date("2026-11-28T08:00:00Z"));
    const report = connector.messages(conversation).map((c) => cardOf(c.body)).find((c) => JSON.stringify(c ?? {}).includes("Daily summary"));
    expect(Buffer.byteLength(JSON.stringify(report))).toBeLessThanOrEqual(MAX_CARD_BYTES);
    const bars = charts(report);
    expect(bars.length).toBeGreaterThan(0);
    for (const b of bars) {
      expect(b.type).toBe("Chart.HorizontalBar");
      expect((b.fallback as Element).type).toBe("Image");
    }
  });
});
