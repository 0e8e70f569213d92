// An answer's charts in Slack through the one SlackSender and the real WebClient, against the
// loopback Slack fake: the answer is posted first, then each chart's PNG is uploaded into the same
// thread (filesUploadV2) with its title and caption as alt text; a picture that fails, is late or is
// refused never costs the answer. With `slack.charts: native` the chart is a data_visualization
// block within its documented limits, and when Slack refuses it (invalid_blocks) the message goes
// again without it and the PNG follows.
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { boltLogger } from "../../../src/adapters/slack/bolt-logger.ts";
import { SlackCharts, type SlackChartOptions } from "../../../src/adapters/slack/chart-upload.ts";
import { SLACK_CHART_LIMITS } from "../../../src/adapters/slack/data-visualization.ts";
import { renderBlockKit } from "../../../src/adapters/slack/render-blockkit.ts";
import { SlackSender } from "../../../src/adapters/slack/sender.ts";
import { PNG_LIMITS, pngSize } from "../../../src/adapters/chart-png.ts";
import { message, type Chart, type Message, type Point } from "../../../src/bot/message.ts";
import { silentLogger } from "../../../src/log/logger.ts";
import { FakeSlackApi } from "../../fakes/slack-api.ts";

const THREAD = "1795946000.000100";
const START = Date.parse("2026-11-29T09:00:00Z");
const points = (n: number, value: (i: number) => number | null): Point[] => Array.from({ length: n }, (_, i) => ({ time: new Date(START + i * 60_000).toISOString(), value: value(i) }));
const lines = (n: number, title = "Time to response (successful calls) by deployment"): Chart => ({
  kind: "line",
  title,
  unit: "MilliSeconds",
  caption: "Sun 29 Nov 10:00–11:00 Europe/Berlin · AzureOpenAITimeToResponse · Average · PT1M",
  zone: "Europe/Berlin",
  series: Array.from({ length: n }, (_, s) => ({ label: s === 0 ? "gpt-4o" : `gpt-4o-mini-${String(s)}`, points: points(60, (i) => (s === 0 && i === 7 ? null : 900 + 10 * s + i)) })),
  bars: [],
});
const answer = (charts: Chart[]): Message => message("answer", "info", "Latency by deployment — last 1 h", {
  figures: [{ label: "Time to response", value: 912, unit: "MilliSeconds", text: "912 ms", baseline: "vs previous 1 h (900 ms)", change: "▲ +1.3 %", source: "aoai-demo · AzureOpenAITimeToResponse · Average", series: { label: "Time to response", unit: "MilliSeconds", points: points(60, (i) => 900 + i) } }],
  charts,
  window: { start: "2026-11-29T09:00:00Z", end: "2026-11-29T10:00:00Z" },
});

let slack: FakeSlackApi;
let channel = 0;
let here = "";
const client = () => new WebClient("xoxb-test", { slackApiUrl: `${slack.url}/api/`, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 5_000, logger: boltLogger(silentLogger) });
const sender = (options: SlackChartOptions = {}) => new SlackSender(client(), { maxAttempts: 3, budgetMs: 2_000, baseDelayMs: 10, maxDelayMs: 50 }, silentLogger, new SlackCharts(options, silentLogger));
const filesIn = (c: string) => slack.sharedFiles().filter((f) => f.channel === c);
const uploadAsked = (filename: string) => slack.calls.find((c) => c.method === "files.getUploadURLExternal" && c.args.filename === filename);
const blocksOf = (i = 0) => (slack.messages(here)[i]?.blocks ?? []) as { type: string; [k: string]: unknown }[];

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
});
beforeEach(() => {
  here = `C${String(++channel).padStart(4, "0")}`;
});
afterAll(async () => {
  await slack.close();
});

describe("charts as pictures (slack.charts: png, the default)", () => {
  it("posts the answer, then uploads the chart's PNG into the same thread with its title and caption as alt text", async () => {
    const chart = lines(3);
    const posted = await sender().post(here, renderBlockKit(answer([chart])), THREAD);
    const [posting, ...others] = slack.messages(here);
    expect(posting?.ts).toBe(posted.ts);
    expect(posting?.threadTs).toBe(THREAD);
    expect(others).toEqual([]);
    expect(JSON.stringify(posting?.blocks)).not.toContain("data_visualization");

    const [file, ...more] = filesIn(here);
    expect(more).toEqual([]);
    expect(file).toMatchObject({ filename: "time-to-response-successful-calls-by-deployment.png", title: chart.title, threadTs: THREAD, completed: true });
    const png = file?.bytes ?? Buffer.alloc(0);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.length).toBeLessThanOrEqual(PNG_LIMITS.bytes);
    expect(file?.length).toBe(png.length);
    expect(pngSize(png)?.width).toBeLessThanOrEqual(PNG_LIMITS.side);
    expect(uploadAsked(file?.filename ?? "")?.args.alt_text).toBe(`${chart.title}. ${chart.caption}`);

    const order = slack.calls.filter((c) => c.args.channel === here || c.args.channel_id === here || c.method === "files.getUploadURLExternal").map((c) => c.method);
    expect(order.indexOf("chat.postMessage")).toBeLessThan(order.lastIndexOf("files.getUploadURLExternal"));
  });

  it("puts the picture beside an answer that replaced a working message, and in the conversation itself outside a thread", async () => {
    const s = sender();
    const working = await s.post(here, { text: "⏳ Working…", blocks: [] }, THREAD);
    await s.update(here, working.ts, renderBlockKit(answer([lines(1)])), THREAD);
    expect(filesIn(here)).toEqual([expect.objectContaining({ threadTs: THREAD, completed: true })]);
    const dm = `${here}-dm`;
    await s.post(dm, renderBlockKit(answer([lines(1)])));
    expect(filesIn(dm)).toEqual([expect.objectContaining({ threadTs: undefined, completed: true })]);
  });

  it("still posts the answer, with no picture, when drawing throws", async () => {
    await sender({ render: () => Promise.reject(new Error("no usable font")) }).post(here, renderBlockKit(answer([lines(2)])), THREAD);
    expect(slack.messages(here)).toHaveLength(1);
    expect(JSON.stringify(blocksOf())).toContain("912 ms");
    expect(filesIn(here)).toEqual([]);
  });

  it("still posts the answer, with no picture, when drawing takes longer than its budget, and does not wait past it", async () => {
    const started = Date.now();
    await sender({ render: () => new Promise<Buffer>(() => undefined), budgetMs: 150 }).post(here, renderBlockKit(answer([lines(2)])), THREAD);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(slack.messages(here)).toHaveLength(1);
    expect(filesIn(here)).toEqual([]);
  });

  it("keeps the answer when Slack refuses the upload (no files:write)", async () => {
    slack.refuse("files.getUploadURLExternal", "missing_scope");
    await sender().post(here, renderBlockKit(answer([lines(1)])), THREAD);
    expect(slack.messages(here)).toHaveLength(1);
    expect(filesIn(here)).toEqual([]);
  });

  it("uploads nothing with slack.charts: off (the sparkline is the chart)", async () => {
    await sender({ mode: "off" }).post(here, renderBlockKit(answer([lines(2)])), THREAD);
    expect(slack.messages(here)).toHaveLength(1);
    expect(filesIn(here)).toEqual([]);
    expect(JSON.stringify(blocksOf())).toMatch(/[▁▂▃▄▅▆▇█]/);
  });
});

describe("native charts (slack.charts: native)", () => {
  it("sends a data_visualization block after the figures, within its documented limits, and uploads nothing", async () => {
    const chart = lines(3, "Time to response (successful calls) by deployment — gpt-4o vs gpt-4o-mini");
    await sender({ mode: "native" }).post(here, renderBlockKit(answer([chart])), THREAD);
    const blocks = blocksOf();
    const at = blocks.findIndex((b) => b.type === "data_visualization");
    expect(at).toBeGreaterThan(blocks.findIndex((b) => JSON.stringify(b).includes("AzureOpenAITimeToResponse · Average")));
    const block = blocks[at] as unknown as { title: string; block_id: string; chart: { type: string; series: { name: string; data: { label: string; value: number }[] }[]; axis_config: { categories: string[]; x_label: string; y_label: string } } };
    expect(block.chart.type).toBe("line");
    expect(block.title.length).toBeLessThanOrEqual(SLACK_CHART_LIMITS.title);
    expect(block.title).toBe("Time to response (successful calls) by deployment…");
    expect(block.chart.series.length).toBeLessThanOrEqual(SLACK_CHART_LIMITS.series);
    expect(block.chart.series.map((s) => s.name)).toEqual(["gpt-4o", "gpt-4o-mini-1", "gpt-4o-mini-2"]);
    const { categories, x_label, y_label } = block.chart.axis_config;
    expect(categories.length).toBeLessThanOrEqual(SLACK_CHART_LIMITS.points);
    expect(new Set(categories).size).toBe(categories.length);
    for (const c of categories) expect(c.length).toBeLessThanOrEqual(SLACK_CHART_LIMITS.category);
    expect(x_label).toBe("Time (Europe/Berlin), 5-min averages");
    expect(y_label).toBe("ms");
    for (const s of block.chart.series) {
      expect(s.name.length).toBeLessThanOrEqual(SLACK_CHART_LIMITS.seriesName);
      expect(s.data.length).toBeGreaterThan(0);
      expect(s.data.length).toBeLessThanOrEqual(SLACK_CHART_LIMITS.points);
      for (const d of s.data) expect(categories).toContain(d.label);
    }
    // 10:05–10:09 averages gpt-4o's minutes with data (10:07 had none): the mean of what was there, not a 0 in it
    expect(block.chart.series[0]?.data[1]).toEqual({ label: "10:05", value: (905 + 906 + 908 + 909) / 4 });
    expect(filesIn(here)).toEqual([]);
  });

  it("sends the chart again as a picture when Slack refuses the block (invalid_blocks)", async () => {
    slack.refuse("chat.postMessage", "invalid_blocks");
    await sender({ mode: "native" }).post(here, renderBlockKit(answer([lines(2)])), THREAD);
    const posts = slack.posts("chat.postMessage").filter((c) => c.args.channel === here);
    // the refused attempt never reached the channel; the one that did has no chart block
    expect(posts).toHaveLength(1);
    expect(slack.messages(here)).toHaveLength(1);
    expect(JSON.stringify(blocksOf())).not.toContain("data_visualization");
    expect(JSON.stringify(blocksOf())).toContain("912 ms");
    expect(filesIn(here)).toEqual([expect.objectContaining({ threadTs: THREAD, completed: true })]);
  });

  it("edits an answer in place without the block when Slack refuses it there too", async () => {
    const s = sender({ mode: "native" });
    const working = await s.post(here, { text: "⏳ Working…", blocks: [] }, THREAD);
    slack.refuse("chat.update", "invalid_blocks");
    await s.update(here, working.ts, renderBlockKit(answer([lines(1)])), THREAD);
    expect(JSON.stringify(blocksOf())).toContain("912 ms");
    expect(JSON.stringify(blocksOf())).not.toContain("data_visualization");
    expect(filesIn(here)).toHaveLength(1);
  });

  it("uploads the picture of a chart the block can't hold (more than 6 lines), and of charts past two a message", async () => {
    await sender({ mode: "native" }).post(here, renderBlockKit(answer([lines(8), lines(1, "A"), lines(1, "B"), lines(1, "C")])), THREAD);
    const native = blocksOf().filter((b) => b.type === "data_visualization").map((b) => b.title);
    expect(native).toEqual(["A", "B"]);
    expect(filesIn(here).map((f) => f.title).sort()).toEqual(["C", "Time to response (successful calls) by deployment"]);
  });

  it("gives a slash command's reply the block but no file (a response_url takes none), and nothing of the chart data leaks into the reply", async () => {
    const path = `/hooks/${here}`;
    await sender({ mode: "native" }).respond(`${slack.url}${path}`, { response_type: "ephemeral", ...renderBlockKit(answer([lines(2)])) });
    const reply = slack.responses.find((r) => r.path === path)?.body ?? {};
    expect(JSON.stringify(reply.blocks)).toContain("data_visualization");
    expect(Object.keys(reply).sort()).toEqual(["blocks", "response_type", "text"]);
    expect(filesIn(here)).toEqual([]);
  });
});
